using Microsoft.AspNetCore.Cors.Infrastructure;
using NetTopologySuite;
using Microsoft.Extensions.Options;
using Tweeling.Domain.Alerts;
using Tweeling.Domain.Algorithms;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Governance.Disclosure;
using Tweeling.Governance.Register;
using Tweeling.Governance.Access;
using Tweeling.Models.Graph;
using Tweeling.Models.Results;
using Tweeling.Models.Scenario;
using Tweeling.Server.Features.Live;
using Tweeling.Server.Features.Ogc;
using Tweeling.Server.Features.Ogc.Tiles;
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
    /// Builds the application over an opened store; <paramref name="urls"/> as Kestrel takes them, MQTT as
    /// <paramref name="mqtt"/> says (the embedded broker, a client of an external one, or none when <c>null</c>), and the
    /// live feed of the demo city's simulated sensors unless <paramref name="demoFeed"/> is false;
    /// <paramref name="settings"/> add to the configuration (environment and appsettings.json); the algorithm register
    /// holds <paramref name="algorithms"/> (default <see cref="PlatformAlgorithms.All"/>); the web UI is served from
    /// <paramref name="webRoot"/> unless <c>Tweeling:Web:Root</c> names another (see <see cref="WebApp"/>).
    /// </summary>
    public static WebApplication Build(
        SqliteTwinStore store, string urls, TimeProvider time, MqttSettings? mqtt = null, bool demoFeed = true, IReadOnlyDictionary<string, string?>? settings = null,
        IReadOnlyList<IRegisteredAlgorithm>? algorithms = null, string? webRoot = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls(urls);
        // The slim builder leaves HTTPS out; this lets --urls name https:// addresses, with the certificate
        // from configuration (Kestrel:Certificates:Default:Path and :Password).
        builder.WebHost.UseKestrelHttpsConfiguration();
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o => o.IncludeScopes = false);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        var services = builder.Services;
        services.AddSingleton(store);
        services.AddSingleton<IFeatureStore>(store);
        services.AddSingleton<ICatalog>(store);
        services.AddSingleton<IIndicatorStore>(store);
        services.AddSingleton<IndicatorDisclosure>();
        services.AddSingleton<IAlertStore>(store.Alerts);
        services.AddSingleton<IReviewStore>(store.Reviews);
        services.AddSingleton<IScenarioStore>(store.Scenarios);
        // One graph of every impact model; its output cache makes a repeated or one-edit run cheap.
        services.AddSingleton(_ => ScenarioModels.Graph(Modellen.All));
        services.AddSingleton(sp => new ScenarioRunner(sp.GetRequiredService<ModelGraph>(), store, store, ScenarioModels.Reporters()));
        services.AddSingleton<IScenarioRunner>(sp => sp.GetRequiredService<ScenarioRunner>());
        // One run per (scenario version, seed), shared by every results endpoint and by concurrent requests.
        services.AddSingleton<ScenarioResultsCache>();
        services.AddSingleton<ScenarioResultsBuurten>();
        services.AddSingleton<IMqttSessionStore>(store.MqttSessions);
        // The threshold alerts run only while the register has them enabled (issue 4: an algorithm obeys its switch).
        services.AddSingleton(sp => new AlertMonitor(store.Alerts, time, RegisterSwitch(sp, ThresholdAlertsAlgorithm.AlgorithmId, store.Reviews, time)));
        services.AddSingleton<ObservationBus>();
        services.AddSingleton<EntityChangeBus>();
        services.AddSingleton<ObservationAnnouncer>();
        services.AddSingleton<SensorModelRevision>();
        services.AddSingleton<ISensorStore>(sp => new PublishingSensorStore(store.Sensors, sp.GetRequiredService<EntityChangeBus>(), sp.GetRequiredService<SensorModelRevision>()));
        services.AddSingleton<DerivedFeatureCache>();
        services.AddSingleton(_ => store.OpenCommitCounter());
        services.AddSingleton<StaAnswerCache>();
        services.AddSingleton<RecentObservations>();
        // Group commit: concurrent single appends (HTTP POSTs, MQTT PUBLISHes) share one durable transaction.
        // A singleton of its own so that the container drains and stops its writer at shutdown. It is the outer
        // layer: thresholds are judged and the live bus is told once per committed group, not once per PUBLISH
        // (at one observation per message that per-append work cost as much as the store; docs/benchmarks.md).
        services.AddSingleton(sp => new GroupCommitObservationStore(new PublishingObservationStore(
            store.Sensors, sp.GetRequiredService<ObservationBus>(), sp.GetRequiredService<AlertMonitor>(), sp.GetRequiredService<ILogger<PublishingObservationStore>>())));
        services.AddSingleton<IObservationStore>(sp => sp.GetRequiredService<GroupCommitObservationStore>());
        services.AddSingleton(GeometryServices);
        services.AddSingleton(new CrsTransformer(GeometryServices));
        services.AddSingleton(time);
        services.AddSingleton<ReadAccess>();
        services.AddSingleton<SearchIndex>();
        services.AddTweelingSignIn(store.Identity);
        services.AddOptions<AccessOptions>().BindConfiguration(AccessOptions.Section);

        // Over the store itself: its reads need no publishing, and the publishing store depends on the change bus.
        services.AddSingleton(sp => new SensorAccess(store.Sensors, sp.GetRequiredService<EntityChangeBus>()));
        services.AddSingleton<IAuditLog>(store.Audit);
        services.AddSingleton(sp => new AuditedReads(sp.GetRequiredService<IAuditLog>(), time, ReadAccess.CallerOf));
        services.AddSingleton<FeatureJsonCache>();
        services.AddSingleton<FeatureStoreCollections>();
        services.AddSingleton<SensorCollection>();
        services.AddSingleton<CollectionSources>();
        services.AddSingleton<VectorTiles>();
        // Start-up work in the background, one piece after another (StartupWarmUp): the tiles, the map's other first-view
        // requests, the search index, and the baseline city of today, so neither the first map, the first search nor the
        // first scenario run waits for them; then what that work dropped is collected and returned to the system.
        services.AddSingleton<TileSnapshotWarmUp>();
        services.AddHostedService(sp => sp.GetRequiredService<TileSnapshotWarmUp>());
        services.AddSingleton<FirstViewRequestsWarmUp>();
        services.AddHostedService(sp => sp.GetRequiredService<FirstViewRequestsWarmUp>());
        services.AddSingleton<SearchIndexWarmUp>();
        services.AddHostedService(sp => sp.GetRequiredService<SearchIndexWarmUp>());
        services.AddSingleton<ScenarioBaselineWarmUp>();
        services.AddHostedService(sp => sp.GetRequiredService<ScenarioBaselineWarmUp>());
        services.AddOptions<StartupOptions>().BindConfiguration(StartupOptions.Section);
        services.AddSingleton<StartupMemoryRelease>();
        services.AddHostedService(sp => sp.GetRequiredService<StartupMemoryRelease>());
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RegisterOptions>().BindConfiguration(RegisterOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<ObservationRetention>();
        foreach (var algorithm in algorithms ?? PlatformAlgorithms.All)
        {
            services.AddSingleton(algorithm);
        }

        services.AddSingleton(sp => new AlgorithmRegistry(sp.GetServices<IRegisteredAlgorithm>(), sp.GetRequiredService<IOptions<RegisterOptions>>().Value.Publisher));
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Encoder = JsonOutput.Encoder);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = DescribeGenericProblem);
        services.AddOptions<CrossOriginOptions>().BindConfiguration(CrossOriginOptions.Section)
            .Validate(o => o.OriginsAreExact(), "Tweeling:Cors:WriteOrigins must be origins such as https://tweeling.gemeente.nl: scheme, host and port, no path, no '*'.")
            .ValidateOnStart();
        services.AddCors();
        services.AddRequestLimits();
        services.AddTrustedProxies();
        // A body larger than Kestrel's limit surfaces as BadHttpRequestException: answer with its status
        // (413), not a 500, wherever an endpoint reads a body.
        services.Configure<ExceptionHandlerOptions>(o => o.StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError);
        services.AddSingleton<ICorsPolicyProvider, CrossOrigin>();
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store");
        services.AddWebApp(webRoot);
        if (demoFeed)
        {
            services.AddHostedService<DemoFeedService>();
        }

        if (mqtt is not null)
        {
            services.AddSingleton(mqtt);
        }

        if (mqtt is MqttBrokerSettings broker)
        {
            services.AddSingleton(broker);
            MqttConnectionLimits.Add(services);
            services.AddHostedService<MqttBroker>();
        }
        else if (mqtt is MqttClientSettings external)
        {
            services.AddSingleton(external);
            services.AddHostedService<MqttBrokerClient>();
        }

        var app = builder.Build();
        app.UseTrustedProxies();
        app.UseSecurityHeaders(SecurityHeaders.HtmlPolicyAllowing(WebOptions.OriginOf(builder.Configuration[$"{WebOptions.Section}:Basemap"])));
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseCors();
        app.UseForeignWriteRefusal();
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

        // Sign-in before the rate limiter: it partitions by the verified subject, and charges refused credentials to
        // the anonymous bucket of their address (see RequestLimits).
        app.UseTweelingSignIn();
        app.UseRateLimiter();

        // Reads of non-open data are recorded before their response is sent; see AuditedReads.
        var auditedReads = app.Services.GetRequiredService<AuditedReads>();
        app.Use(auditedReads.InvokeAsync);
        app.UseAccessRules();

        app.MapHealthChecks("/healthz").WithAccessRule(AccessRule.PublicDocument);
        MapOgc(app.MapGroup("/ogc").RequireCors(CrossOrigin.PolicyName));
        MapPlatform(app.MapGroup(PlatformApi.Prefix).RequireCors(CrossOrigin.PolicyName));
        MapSensorThings(app.MapGroup(StaApi.Prefix).RequireCors(CrossOrigin.PolicyName));
        app.MapWebApp();
        return app;
    }

    /// <summary>
    /// Who may write sensor data over the SensorThings API: the roles that operate sensors (a sensor partner
    /// gets a <c>medewerker</c> token), as <see cref="WriteAccess"/> enforces for every non-read method.
    /// </summary>
    /// <summary>Every signed-in role: what a person does with their own sign-in (sessions) needs no more than that.</summary>
    private static readonly AccessRule s_signedIn = AccessRule.Write(Role.Medewerker, Role.Analist, Role.Datasteward, Role.Beheerder, Role.EthischeCommissie);

    /// <summary>Who reads scenarios: every signed-in role.</summary>
    private static readonly AccessRule s_scenarioReads = AccessRule.RoleOnly(Role.Medewerker, Role.Analist, Role.Datasteward, Role.Beheerder, Role.EthischeCommissie);

    /// <summary>Who creates, versions and deletes scenarios: the analists who explore plans, and beheerders.</summary>
    private static readonly AccessRule s_scenarioWrites = AccessRule.Write(Role.Analist, Role.Beheerder);

    private static readonly AccessRule s_sensorWrites = AccessRule.Write(Role.Medewerker, Role.Datasteward, Role.Beheerder);

    /// <summary>
    /// Whether the algorithm register has <paramref name="algorithmId"/> enabled now (<see cref="AlgorithmGate.StateAsync"/>:
    /// switched on and nothing, such as an expired approval, in its way). An algorithm the register does not list is not held back.
    /// </summary>
    private static Func<CancellationToken, Task<bool>> RegisterSwitch(IServiceProvider services, string algorithmId, IReviewStore reviews, TimeProvider time) =>
        async cancellationToken => services.GetRequiredService<AlgorithmRegistry>().Find(algorithmId) is not { } registration
            || (await AlgorithmGate.StateAsync(registration, reviews, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), cancellationToken)).Enabled;

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
        ogc.MapGet("/", LandingPage.Handle).WithAccessRule(AccessRule.PublicDocument);
        ogc.MapGet("/conformance", Conformance.Handle).WithAccessRule(AccessRule.PublicDocument);
        ogc.MapGet("/api", ApiDefinition.Handle).WithAccessRule(AccessRule.PublicDocument);
        ogc.MapGet("/collections", Collections.List).WithAccessRule(AccessRule.DatasetFiltered);
        ogc.MapGet("/collections/{collectionId}", Collections.Get).WithAccessRule(AccessRule.DatasetFiltered);
        ogc.MapGet("/collections/{collectionId}/queryables", Queryables.Handle).WithAccessRule(AccessRule.DatasetFiltered);
        ogc.MapGet("/collections/{collectionId}/items", Items.List).WithAccessRule(AccessRule.DatasetFiltered);
        ogc.MapGet("/collections/{collectionId}/items/{featureId}", Items.Get).WithAccessRule(AccessRule.DatasetFiltered);
        ogc.MapGet("/tileMatrixSets", TileEndpoints.TileMatrixSets).WithAccessRule(AccessRule.PublicDocument);
        ogc.MapGet("/tileMatrixSets/{tileMatrixSetId}", TileEndpoints.TileMatrixSet).WithAccessRule(AccessRule.PublicDocument);
        ogc.MapGet("/collections/{collectionId}/tiles", TileEndpoints.Tilesets).WithAccessRule(AccessRule.DatasetFiltered);
        ogc.MapGet("/collections/{collectionId}/tiles/{tileMatrixSetId}", TileEndpoints.Tileset).WithAccessRule(AccessRule.DatasetFiltered);
        ogc.MapGet("/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}", TileEndpoints.Tile)
            .WithAccessRule(AccessRule.DatasetFiltered)
            .WithTileRateLimit();
    }

    private static void MapSensorThings(RouteGroupBuilder sta)
    {
        sta.AddEndpointFilter(WriteAccess.RequireWriterAsync);
        sta.MapGet("/", ServiceRoot.Handle).WithAccessRule(AccessRule.PublicDocument);
        sta.MapGet("/{**path}", Resources.Get).WithAccessRule(AccessRule.DatasetFiltered);
        sta.MapPost("/CreateObservations", DataArrayCreate.Post).WithAccessRule(s_sensorWrites);

        // A $batch holds reads and writes: it is governed as a write, and its GET parts are filtered as a GET is.
        sta.MapPost("/$batch", Batch.Post).WithAccessRule(s_sensorWrites);
        sta.MapPost("/{**path}", EntityWrites.Post).WithAccessRule(s_sensorWrites);
        sta.MapPatch("/{**path}", EntityWrites.Patch).WithAccessRule(s_sensorWrites);
        sta.MapPut("/{**path}", EntityWrites.Put).WithAccessRule(s_sensorWrites);
        sta.MapDelete("/{**path}", EntityWrites.Delete).WithAccessRule(s_sensorWrites);
    }

    private static void MapPlatform(RouteGroupBuilder api)
    {
        api.MapGet("/openapi.json", PlatformOpenApi.Handle).WithAccessRule(AccessRule.PublicDocument);
        api.MapGet("/ik", Ik.Handle).WithAccessRule(AccessRule.PublicDocument);
        // A signed-in person swaps the password for a short-lived token (the web UI does so at sign-in): every role but publiek.
        api.MapPost("/sessies", Sessies.Create).WithAccessRule(s_signedIn);
        api.MapDelete("/sessies/{id}", Sessies.End).WithAccessRule(s_signedIn);
        api.MapGet("/datasets", Datasets.List).WithAccessRule(AccessRule.DatasetFiltered);
        api.MapGet("/datasets/{id}", Datasets.Get).WithAccessRule(AccessRule.DatasetFiltered);
        api.MapGet("/catalogus", Catalogus.Handle).WithAccessRule(AccessRule.DatasetFiltered);
        api.MapGet("/gebieden", Gebieden.List).WithAccessRule(AccessRule.DatasetFiltered);
        api.MapGet("/gebieden/{code}", Gebieden.Get).WithAccessRule(AccessRule.DatasetFiltered);
        api.MapGet("/indicatoren", Indicatoren.List).WithAccessRule(AccessRule.DatasetFiltered);
        api.MapGet("/indicatoren/{code}", Indicatoren.Get).WithAccessRule(AccessRule.DatasetFiltered);
        api.MapGet("/live", LiveEvents.Handle).RequireRateLimiting(RequestLimits.LiveStreams).WithAccessRule(AccessRule.DatasetFiltered);
        api.MapGet("/drempels", Drempels.List).WithAccessRule(AccessRule.DatasetFiltered);
        api.MapGet("/drempels/{id}", Drempels.Get).WithAccessRule(AccessRule.DatasetFiltered);
        api.MapGet("/alarmen", Alarmen.List).WithAccessRule(AccessRule.DatasetFiltered);
        api.MapGet("/alarmen/{id}", Alarmen.Get).WithAccessRule(AccessRule.DatasetFiltered);
        api.MapGet("/sensoren/{sensor}/reeksen/{reeks}/aggregaten", Aggregaten.Handle).WithAccessRule(AccessRule.DatasetFiltered);
        api.MapGet("/algoritmes", Algoritmes.List).WithAccessRule(AccessRule.PublicDocument);
        api.MapGet("/algoritmes/export", Algoritmes.Export).WithAccessRule(AccessRule.PublicDocument);
        api.MapGet("/algoritmes/{id}", Algoritmes.Get).WithAccessRule(AccessRule.PublicDocument);
        api.MapGet("/beoordelingen", Beoordelingen.List).WithAccessRule(AccessRule.PublicDocument);
        api.MapGet("/beoordelingen/{id}", Beoordelingen.Get).WithAccessRule(AccessRule.PublicDocument);
        // Review workflow (standards.md §2): data stewards and administrators record; deciding is also the ethics
        // committee's, and ReviewRules then says which role decides which kind. Switching algorithms is the administrator's.
        api.MapPost("/beoordelingen", BeoordelingWrites.Create).WithAccessRule(AccessRule.Write(Role.Datasteward, Role.Beheerder));
        api.MapPost("/beoordelingen/{id}/besluit", BeoordelingWrites.Decide).WithAccessRule(AccessRule.Write(Role.Datasteward, Role.Beheerder, Role.EthischeCommissie));
        api.MapPut("/algoritmes/{id}/status", BeoordelingWrites.SetStatus).WithAccessRule(AccessRule.Write(Role.Beheerder));
        // The audit trail is for the data protection officer's work: data stewards and administrators only.
        api.MapGet("/audit", AuditTrail.List).WithAccessRule(AccessRule.RoleOnly(Role.Datasteward, Role.Beheerder));
        api.MapGet("/zoeken", Zoeken.Handle).WithAccessRule(AccessRule.DatasetFiltered);
        api.MapGet("/herkomst/{collectionId}/{featureId}", Herkomst.Handle).WithAccessRule(AccessRule.DatasetFiltered);
        api.MapGet("/dashboards/armoede", Dashboards.Armoede).WithAccessRule(AccessRule.DatasetFiltered);
        api.MapGet("/dashboards/binnenstad", Dashboards.Binnenstad).WithAccessRule(AccessRule.DatasetFiltered);
        // Scenarios are the municipality's working material: every signed-in role reads them, analists and beheerders write.
        api.MapGet("/modellen", Modellen.List).WithAccessRule(AccessRule.PublicDocument);
        api.MapGet("/scenarios", Scenarios.List).WithAccessRule(s_scenarioReads);
        api.MapPost("/scenarios", Scenarios.Create).WithAccessRule(s_scenarioWrites);
        api.MapGet("/scenarios/{id}", Scenarios.Get).WithAccessRule(s_scenarioReads);
        api.MapPut("/scenarios/{id}", Scenarios.Update).WithAccessRule(s_scenarioWrites);
        api.MapDelete("/scenarios/{id}", Scenarios.Delete).WithAccessRule(s_scenarioWrites);
        api.MapGet("/scenarios/{id}/versies/{versie}", Scenarios.GetVersion).WithAccessRule(s_scenarioReads);
        // Running is the deliberate, audited action (analist, beheerder); reading results is reading the scenario (docs/scenarios.md).
        api.MapPost("/scenarios/{id}/versies/{versie}/doorrekening", ScenarioResults.Run).WithAccessRule(s_scenarioWrites);
        api.MapGet("/scenarios/{id}/versies/{versie}/resultaten", ScenarioResults.Results).WithAccessRule(s_scenarioReads);
        api.MapGet("/scenarios/{id}/versies/{versie}/resultaten/rasters/{indicator}", ScenarioResults.Grid).WithAccessRule(s_scenarioReads);
        api.MapGet("/scenarios/{id}/versies/{versie}/resultaten/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}", ScenarioResults.Tile).WithAccessRule(s_scenarioReads);
        api.MapGet("/scenarios/{id}/versies/{versie}/impactmatrix", ScenarioResults.Impact).WithAccessRule(s_scenarioReads);
        api.MapGet("/scenarios/{id}/versies/{versie}/rapport", ScenarioResults.Report).WithAccessRule(s_scenarioReads);
        api.MapGet("/scenarios/vergelijking", ScenarioResults.Compare).WithAccessRule(s_scenarioReads);
    }
}
