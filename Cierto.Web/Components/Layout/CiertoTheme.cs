using MudBlazor;

namespace Cierto.Web.Components.Layout;

public static class CiertoTheme
{
    // Colours chosen for at least 4.5:1 contrast with their text in both palettes.
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f5f8b",
            Secondary = "#8a4b08",
            AppbarBackground = "#1f5f8b",
            Success = "#1b6e20",
            Error = "#b3261e",
            Warning = "#8a5300",
            Info = "#0b5cad",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#7cc0ef",
            Secondary = "#f0b070",
            AppbarBackground = "#1a2733",
            Success = "#7bd88f",
            Error = "#ff8a80",
            Warning = "#ffc266",
            Info = "#8cc8ff",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica", "Arial", "sans-serif"],
            },
        },
    };
}
