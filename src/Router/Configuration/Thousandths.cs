namespace GpuRouter.Configuration;

/// <summary>
/// GPU shares as whole thousandths, so sums are exact: 0.95 + 0.05 fits a GPU (1000), 0.95 + 0.06
/// does not (1010), whatever binary floating point makes of 0.95 + 0.05.
/// </summary>
public static class Thousandths
{
    public const int Whole = 1000;

    public static int Of(double share) => (int)Math.Round(share * Whole, MidpointRounding.AwayFromZero);
}
