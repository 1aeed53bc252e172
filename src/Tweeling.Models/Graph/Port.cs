namespace Tweeling.Models.Graph;

/// <summary>
/// A named value that models exchange: the output of one model is the input of the next, so the
/// graph can chain them and recompute only what an edit touches. Names are unique in a graph.
/// </summary>
/// <param name="Name">The port's name, unique in a model graph (lowercase, '-' separated, e.g. <c>link-traffic</c>).</param>
/// <param name="ValueType">The CLR type of its value.</param>
/// <param name="Unit">The unit of its numbers (e.g. <c>µg/m³</c>, <c>dB(A)</c>, <c>vehicles/24h</c>), or <c>-</c> for counts and categories.</param>
/// <param name="Description">What the value means, for <c>/api/v1/modellen</c> and the model documentation.</param>
public abstract record Port(string Name, Type ValueType, string Unit, string Description);

/// <summary>A port whose value is a <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The value's type; immutable, so a model cannot change another model's output.</typeparam>
/// <param name="Name">The port's name, unique in a model graph.</param>
/// <param name="Unit">The unit of its numbers.</param>
/// <param name="Description">What the value means.</param>
public sealed record Port<T>(string Name, string Unit, string Description) : Port(Name, typeof(T), Unit, Description)
    where T : notnull;
