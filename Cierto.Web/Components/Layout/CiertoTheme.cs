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
        // Dark: light accents carry dark text (white on light blue is 2:1), secondary text is lighter
        // than MudBlazor's default (4.4:1 on the surface), and the app bar is dark, not the accent.
        PaletteDark = new PaletteDark
        {
            Primary = "#7cc0ef",
            PrimaryContrastText = "#0b1b27",
            Secondary = "#f0b070",
            SecondaryContrastText = "#1f1204",
            Tertiary = "#9fe3d4",
            TertiaryContrastText = "#0a201b",
            AppbarBackground = "#1a2733",
            AppbarText = "#e8eef4",
            Success = "#7bd88f",
            SuccessContrastText = "#06210d",
            Error = "#ff8a80",
            ErrorContrastText = "#2b0503",
            Warning = "#ffc266",
            WarningContrastText = "#2a1900",
            Info = "#8cc8ff",
            InfoContrastText = "#04192d",
            Dark = "#d0d4da",
            DarkContrastText = "#15171c",
            TextPrimary = "rgba(255,255,255,0.92)",
            TextSecondary = "rgba(255,255,255,0.78)",
            ActionDefault = "rgba(255,255,255,0.80)",
            DrawerText = "rgba(255,255,255,0.92)",
            DrawerIcon = "rgba(255,255,255,0.80)",
            LinesInputs = "rgba(255,255,255,0.55)",
            TableHover = "rgba(255,255,255,0.06)",
            TableStriped = "rgba(255,255,255,0.03)",
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
