using System.Runtime.CompilerServices;
using Bunit;
using Cierto.Domain.Data;
using Cierto.Web.Components.Shared;
using Microsoft.AspNetCore.Components;

namespace Cierto.Tests.Components;

/// <summary>A failure stays in its part of the page, says what it was, and "Try again" renders the part afresh.</summary>
public sealed class SectionBoundaryTests : ComponentTestBase
{
    [Fact]
    public void A_database_outage_reads_as_such_and_try_again_renders_the_part_again()
    {
        var boundary = RenderInteractive<SectionBoundary>(p => p
            .Add(b => b.What, "The list")
            .AddChildContent<FailsOnce>(c => c.Add(f => f.Failure, new DatabaseUnavailableException()).Add(f => f.Attempts, new StrongBox<int>())));

        var alert = boundary.Find("[role=alert]");
        Assert.Contains(DatabaseUnavailableException.UserMessage, alert.TextContent, StringComparison.Ordinal);

        boundary.Find("button").Click();
        Assert.Equal("loaded", boundary.Find("#part").TextContent);
        Assert.Empty(boundary.FindAll("[role=alert]"));
    }

    [Fact]
    public void A_fault_in_the_code_names_the_part_without_details()
    {
        var boundary = RenderInteractive<SectionBoundary>(p => p
            .Add(b => b.What, "The activity list")
            .AddChildContent<FailsOnce>(c => c.Add(f => f.Failure, new InvalidOperationException("secret detail")).Add(f => f.Attempts, new StrongBox<int>())));

        var alert = boundary.Find("[role=alert]").TextContent;
        Assert.Contains("The activity list could not be shown", alert, StringComparison.Ordinal);
        Assert.DoesNotContain("secret detail", alert, StringComparison.Ordinal);
        Assert.DoesNotContain("database", alert, StringComparison.Ordinal);
    }

    /// <summary>Throws on its first render, renders normally after.</summary>
    private sealed class FailsOnce : ComponentBase
    {
        [Parameter]
        public Exception Failure { get; set; } = default!;

        [Parameter]
        public StrongBox<int> Attempts { get; set; } = default!;

        protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder)
        {
            if (++Attempts.Value == 1)
            {
                throw Failure;
            }

            builder.AddMarkupContent(0, "<p id=\"part\">loaded</p>");
        }
    }
}
