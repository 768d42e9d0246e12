using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace Cierto.Web.Components.Shared;

/// <summary>
/// A translated sentence with markup inside it ("Transfer <b>€99</b> with the reference …"): the
/// whole sentence is one text in the resources, so each language orders its words freely, and
/// <c>{0}</c>, <c>{1}</c>… are filled with <see cref="Arg0"/>, <see cref="Arg1"/>….
/// </summary>
public sealed partial class Phrase : ComponentBase
{
    [Parameter, EditorRequired]
    public string Text { get; set; } = string.Empty;

    [Parameter]
    public RenderFragment? Arg0 { get; set; }

    [Parameter]
    public RenderFragment? Arg1 { get; set; }

    [Parameter]
    public RenderFragment? Arg2 { get; set; }

    [Parameter]
    public RenderFragment? Arg3 { get; set; }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var part in Placeholder().Split(Text))
        {
            var fragment = part switch
            {
                "{0}" => Arg0,
                "{1}" => Arg1,
                "{2}" => Arg2,
                "{3}" => Arg3,
                _ => null,
            };
            if (fragment is not null)
            {
                builder.AddContent(0, fragment);
            }
            else if (part.Length > 0)
            {
                builder.AddContent(1, part);
            }
        }
    }

    [GeneratedRegex(@"(\{[0-3]\})")]
    private static partial Regex Placeholder();
}
