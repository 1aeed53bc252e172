using NetTopologySuite;
using Tweeling.Domain.Alerts;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Server.Features.Live;
using Tweeling.Server.Features.Ogc;
using Tweeling.Server.Features.Platform;
using Tweeling.Server.Features.SensorThings;
using Tweeling.Storage;
using Tweeling.Storage.Sqlite;

namespace Tweeling.Server.Hosting;

/// <summary>Builds the web host: the composition root that wires the store's adapters to the ports and maps every endpoint.</summary>
internal static class TwinHost
{
    /// <summary>The platform's geometry services: floating precision, RD New as the default SRID.</summary>
    public static NtsGeometryServices GeometryServices { get; } = new(NetTopologySuite.Geometries.PrecisionModel.Floating.Value, Crs.RdNewSrid);

    /// <summary>
    /// Builds the application over an opened store; <paramref name="urls"/> as Kestrel takes them, the
    /// embedded MQTT broker when <paramref name="mqtt"/> says where (none when it is <c>null</c>), and the
    /// live feed of the demo city's simulated sensors unless <paramref name="demoFeed"/> is false.
    /// </summary>
    public static WebApplication Build(SqliteTwinStore store, string urls, TimeProvider time, MqttBrokerSettings? mqtt = null, bool demoFeed = true)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        builder.WebHost.UseUrls(urls);
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o => o.IncludeScopes = false);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        var services = builder.Services;
        services.AddSingleton(store);
        services.AddSingleton<IFeatureStore>(store);
        services.AddSingleton<ICatalog>(store);
        services.AddSingleton<IIndicatorStore>(store);
        services.AddSingleton<IAlertStore>(store.Alerts);
        services.AddSingleton(new AlertMonitor(store.Alerts, time));
        services.AddSingleton<ObservationBus>();
        services.AddSingleton<EntityChangeBus>();
        services.AddSingleton<ObservationAnnouncer>();
        services.AddSingleton<ISensorStore>(sp => new PublishingSensorStore(store.Sensors, sp.GetRequiredService<EntityChangeBus>()));
        // Group commit: concurrent single appends (HTTP POSTs, MQTT PUBLISHes) share one durable transaction.
        // A singleton of its own so that the container drains and stops its writer at shutdown.
        services.AddSingleton(_ => new GroupCommitObservationStore(store.Sensors));
        services.AddSingleton<IObservationStore>(sp => new PublishingObservationStore(
            sp.GetRequiredService<GroupCommitObservationStore>(), sp.GetRequiredService<ObservationBus>(), sp.GetRequiredService<AlertMonitor>(), sp.GetRequiredService<ILogger<PublishingObservationStore>>()));
        services.AddSingleton(GeometryServices);
        services.AddSingleton(new CrsTransformer(GeometryServices));
        services.AddSingleton(time);
        services.AddSingleton<ReadAccess>();
        services.AddSingleton<IAuditLog>(store.Audit);
        services.AddSingleton(sp => new AuditedReads(sp.GetRequiredService<IAuditLog>(), time, ReadAccess.CallerOf));
        services.AddSingleton<FeatureJsonCache>();
        services.AddSingleton<FeatureStoreCollections>();
        services.AddSingleton<SensorCollection>();
        services.AddSingleton<CollectionSources>();
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Encoder = JsonOutput.Encoder);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = DescribeGenericProblem);
        services.AddCors(o => o.AddPolicy(PublicDocuments, p => p.AllowAnyOrigin().WithMethods("GET", "HEAD").WithExposedHeaders("API-Version", "Content-Crs")));
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store");
        if (demoFeed)
        {
            services.AddHostedService<DemoFeedService>();
        }

        if (mqtt is not null)
        {
            services.AddSingleton(mqtt);
            services.AddHostedService<MqttBroker>();
        }

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseCors();
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(PlatformApi.Prefix, StringComparison.Ordinal))
            {
                context.Response.OnStarting(() =>
                {
                    context.Response.Headers["API-Version"] = PlatformApi.Version;
                    return Task.CompletedTask;
                });
            }

            await next(context);
        });
        // Reads of non-open data are recorded before their response is sent; see AuditedReads.
        var auditedReads = app.Services.GetRequiredService<AuditedReads>();
        app.Use(auditedReads.InvokeAsync);
        app.UseDefaultFiles();
        app.UseStaticFiles();

        app.MapHealthChecks("/healthz");
        MapOgc(app.MapGroup("/ogc").RequireCors(PublicDocuments));
        MapPlatform(app.MapGroup(PlatformApi.Prefix).RequireCors(PublicDocuments));
        MapSensorThings(app.MapGroup(StaApi.Prefix));
        return app;
    }

    private const string PublicDocuments = "public-documents";

    /// <summary>
    /// Gives the problems the framework raises itself (no route, an unhandled exception) a detail, as
    /// the NL API Design Rules require. An exception's own message is never shown: it may hold data.
    /// </summary>
    private static void DescribeGenericProblem(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Detail ??= problem.Status switch
        {
            StatusCodes.Status404NotFound => $"There is no resource at '{context.HttpContext.Request.Path}'.",
            StatusCodes.Status405MethodNotAllowed => $"'{context.HttpContext.Request.Method}' is not allowed on '{context.HttpContext.Request.Path}'.",
            >= 500 => "The server failed to answer this request; the failure has been logged.",
            _ => problem.Title,
        };
    }

    private static void MapOgc(RouteGroupBuilder ogc)
    {
        ogc.MapGet("/", LandingPage.Handle);
        ogc.MapGet("/conformance", Conformance.Handle);
        ogc.MapGet("/api", ApiDefinition.Handle);
        ogc.MapGet("/collections", Collections.List);
        ogc.MapGet("/collections/{collectionId}", Collections.Get);
        ogc.MapGet("/collections/{collectionId}/queryables", Queryables.Handle);
        ogc.MapGet("/collections/{collectionId}/items", Items.List);
        ogc.MapGet("/collections/{collectionId}/items/{featureId}", Items.Get);
    }

    private static void MapSensorThings(RouteGroupBuilder sta)
    {
        sta.MapGet("/", ServiceRoot.Handle).RequireCors(PublicDocuments);
        sta.MapGet("/{**path}", Resources.Get).RequireCors(PublicDocuments);
        sta.MapPost("/CreateObservations", DataArrayCreate.Post);
        sta.MapPost("/$batch", Batch.Post);
        sta.MapPost("/{**path}", EntityWrites.Post);
        sta.MapPatch("/{**path}", EntityWrites.Patch);
        sta.MapPut("/{**path}", EntityWrites.Put);
        sta.MapDelete("/{**path}", EntityWrites.Delete);
    }

    private static void MapPlatform(RouteGroupBuilder api)
    {
        api.MapGet("/openapi.json", PlatformOpenApi.Handle);
        api.MapGet("/datasets", Datasets.List);
        api.MapGet("/datasets/{id}", Datasets.Get);
        api.MapGet("/catalogus", Catalogus.Handle);
        api.MapGet("/gebieden", Gebieden.List);
        api.MapGet("/gebieden/{code}", Gebieden.Get);
        api.MapGet("/indicatoren", Indicatoren.List);
        api.MapGet("/indicatoren/{code}", Indicatoren.Get);
        api.MapGet("/live", LiveEvents.Handle);
        api.MapGet("/drempels", Drempels.List);
        api.MapGet("/drempels/{id}", Drempels.Get);
        api.MapGet("/alarmen", Alarmen.List);
        api.MapGet("/alarmen/{id}", Alarmen.Get);
    }
}
