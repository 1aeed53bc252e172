using Microsoft.AspNetCore.Http.HttpResults;
using Tweeling.Models.Graph;
using Tweeling.Models.Scenario;

namespace Tweeling.Server.Features.Platform;

/// <summary>
/// <c>/api/v1/modellen</c>: every impact model of the scenario engine with its interface — version, CRS, input and
/// output ports with units — and its algorithm-register id. Public: it describes methods, not data.
/// </summary>
internal static class Modellen
{
    /// <summary>The platform's impact models, wired into one <see cref="ModelGraph"/> (DI) by their ports.</summary>
    public static IReadOnlyList<IImpactModel> All { get; } = ScenarioModels.Create();

    public static Results<Ok<IReadOnlyList<ModelView>>, ProblemHttpResult> List(HttpContext http, ModelGraph graph)
    {
        if (PlatformApi.RejectUnknown(http.Request.Query) is { } unknown)
        {
            return unknown;
        }

        var api = PlatformApi.Root(http.Request);
        return TypedResults.Ok<IReadOnlyList<ModelView>>([.. graph.Models.Select(m => ModelView.From(m.Descriptor, api))]);
    }
}

/// <summary>One model as <c>/api/v1/modellen</c> shows it.</summary>
/// <param name="Id">Its id, also its algorithm-register id.</param>
/// <param name="Versie">Its version.</param>
/// <param name="Titel">Its title.</param>
/// <param name="Crs">The CRS of its geometries.</param>
/// <param name="Invoer">The ports it reads.</param>
/// <param name="Uitvoer">The ports it writes.</param>
/// <param name="Algoritme">Its entry in the algorithm register.</param>
internal sealed record ModelView(string Id, string Versie, string Titel, string Crs, IReadOnlyList<PoortView> Invoer, IReadOnlyList<PoortView> Uitvoer, PlatformApi.Link Algoritme)
{
    public static ModelView From(ModelDescriptor d, string apiRoot) => new(
        d.Id, d.Version, d.Title, d.Crs, [.. d.Inputs.Select(PoortView.From)], [.. d.Outputs.Select(PoortView.From)], new PlatformApi.Link($"{apiRoot}/algoritmes/{d.Id}"));
}

/// <summary>A port of a model.</summary>
/// <param name="Naam">The port's name, unique in the graph.</param>
/// <param name="Type">The value's type.</param>
/// <param name="Eenheid">The unit of its numbers.</param>
/// <param name="Beschrijving">What it means.</param>
internal sealed record PoortView(string Naam, string Type, string Eenheid, string Beschrijving)
{
    public static PoortView From(Port p) => new(p.Name, TypeName(p.ValueType), p.Unit, p.Description);

    private static string TypeName(Type type) =>
        type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>" : type.Name;
}
