namespace Tweeling.Ingestion.DemoCity;

/// <summary>How far generating or writing the demo city has come, for a progress bar.</summary>
/// <param name="Stage">What is being done now, in words (e.g. "panden").</param>
/// <param name="Fraction">The fraction of the whole job (generation or writing) that is done, 0 to 1.</param>
public sealed record DemoProgress(string Stage, double Fraction);
