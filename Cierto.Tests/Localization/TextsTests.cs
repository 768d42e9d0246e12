using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Cierto.Domain.Localization;
using Cierto.Web.Infrastructure.Localization;

namespace Cierto.Tests.Localization;

/// <summary>
/// The resources against the code: every text the code asks for exists in English and Russian,
/// no resource is left over, both languages fill the same placeholders, and counted texts carry
/// each language's plural forms. Keys are found the way a person reads the code: <c>L["…"]</c>,
/// <c>Texts.Get/Format/Plural("…")</c>, validation messages and field labels.
/// </summary>
public sealed partial class TextsTests
{
    private static readonly string Root = FindRoot();

    private static readonly string[] SourceProjects = ["Cierto.Domain", "Cierto.Web"];

    private static readonly Lazy<IReadOnlyDictionary<string, string>> English = new(() => Resources("Texts.resx"));

    private static readonly Lazy<IReadOnlyDictionary<string, string>> Russian = new(() => Resources("Texts.ru.resx"));

    private static readonly Lazy<Dictionary<string, (string File, bool Counted)>> Used = new(FindKeys);

    [Fact]
    public void Every_text_the_code_asks_for_is_in_English_and_Russian()
    {
        var missing = Used.Value
            .SelectMany(k => new[] { ("en", English.Value), ("ru", Russian.Value) }.Where(l => !l.Item2.ContainsKey(k.Key)).Select(l => $"{l.Item1}: \"{k.Key}\" ({k.Value.File})"))
            .ToList();
        Assert.True(Used.Value.Count > 500, $"Only {Used.Value.Count} keys found: the scan of the code is broken.");
        Assert.True(missing.Count == 0, "Missing resources:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Both_languages_have_the_same_texts_and_none_is_left_over()
    {
        var onlyEnglish = English.Value.Keys.Except(Russian.Value.Keys).ToList();
        var onlyRussian = Russian.Value.Keys.Except(English.Value.Keys).ToList();
        var unused = English.Value.Keys.Where(k => !Used.Value.ContainsKey(k) && !IsMudBlazorKey(k)).ToList();
        Assert.True(onlyEnglish.Count == 0, "Only in English: " + string.Join(" | ", onlyEnglish));
        Assert.True(onlyRussian.Count == 0, "Only in Russian: " + string.Join(" | ", onlyRussian));
        Assert.True(unused.Count == 0, "No code uses: " + string.Join(" | ", unused));
    }

    /// <summary>Resource names are case-insensitive to the build: "Overdue" and "overdue" would lose one, with only a warning.</summary>
    [Theory]
    [InlineData("Texts.resx")]
    [InlineData("Texts.ru.resx")]
    public void No_two_texts_differ_only_in_case(string file)
    {
        var names = XDocument.Load(Path.Combine(Root, "Cierto.Domain", "Localization", file)).Root!.Elements("data").Select(d => (string)d.Attribute("name")!);
        Assert.Empty(names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => string.Join(" / ", g)));
    }

    [Fact]
    public void Translations_fill_the_same_placeholders_and_counted_texts_have_every_plural_form()
    {
        var problems = new List<string>();
        foreach (var (key, english) in English.Value)
        {
            var russian = Russian.Value.GetValueOrDefault(key) ?? string.Empty;
            var counted = Used.Value.TryGetValue(key, out var use) && use.Counted;
            var (enForms, ruForms) = (english.Split('|'), russian.Split('|'));
            if (counted && (enForms.Length != 2 || ruForms.Length != 3))
            {
                problems.Add($"counted \"{key}\": {enForms.Length} English forms (want 2: one|other), {ruForms.Length} Russian (want 3: one|few|many)");
            }
            else if (!counted && (enForms.Length != 1 || ruForms.Length != 1) && !IsMudBlazorKey(key))
            {
                problems.Add($"\"{key}\" has plural forms but is not counted");
            }

            var expected = Placeholders(IsMudBlazorKey(key) ? english : key); // MudBlazor names its texts; ours are their English
            foreach (var form in enForms.Concat(ruForms))
            {
                if (!Placeholders(form).SetEquals(expected))
                {
                    problems.Add($"\"{key}\": \"{form}\" fills {{{string.Join(",", Placeholders(form))}}}, the key {{{string.Join(",", expected)}}}");
                }

                try
                {
                    _ = string.Format(CultureInfo.InvariantCulture, form, Enumerable.Range(0, 10).Select(i => (object)i).ToArray());
                }
                catch (FormatException)
                {
                    problems.Add($"\"{form}\" is not a valid format");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(4, 1)]
    [InlineData(5, 2)]
    [InlineData(11, 2)]
    [InlineData(12, 2)]
    [InlineData(21, 0)]
    [InlineData(22, 1)]
    [InlineData(25, 2)]
    [InlineData(111, 2)]
    [InlineData(0, 2)]
    public void Russian_counts_choose_one_few_or_many(long count, int form) =>
        Assert.Equal(form, Texts.FormIndex(CultureInfo.GetCultureInfo("ru-RU"), count));

    [Fact]
    public void A_counted_text_reads_naturally_in_both_languages()
    {
        var (culture, ui) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("ru");
            Assert.Equal("Свободно 3 предмета", Texts.Plural("{0} free items", 3));
            Assert.Equal("Свободно 5 предметов", Texts.Plural("{0} free items", 5));
            Assert.Equal("Свободен 21 предмет", Texts.Plural("{0} free items", 21));
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
            Assert.Equal("1 free item", Texts.Plural("{0} free items", 1));
            Assert.Equal("2 free items", Texts.Plural("{0} free items", 2));
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, ui);
        }
    }

    [Fact]
    public void The_pseudo_language_lengthens_every_text_and_keeps_its_placeholders()
    {
        var pseudo = Texts.Pseudo("Save {0} now|Save {0} items");
        Assert.StartsWith("[Šåvé {0} ñöw", pseudo, StringComparison.Ordinal);
        Assert.Contains("|[Šåvé {0} îtémš", pseudo, StringComparison.Ordinal);
        Assert.All(pseudo.Split('|'), form => Assert.True(form.Length >= "Save {0} now".Length * 1.4, form));
    }

    [Theory]
    [InlineData("ru", null, new[] { "en-US" }, "ru")] // the person's own setting first
    [InlineData(null, "ru", new[] { "en-US" }, "ru")] // then the switcher's cookie
    [InlineData(null, null, new[] { "de-DE", "ru-RU", "en" }, "ru")] // then the first language of the browser Cierto speaks
    [InlineData(null, null, new[] { "de-DE", "fr" }, "en")] // English otherwise
    [InlineData("xx", "yy", new string[0], "en")]
    public void The_language_is_the_persons_then_the_switchers_then_the_browsers(string? setting, string? cookie, string[] browser, string expected) =>
        Assert.Equal(expected, CiertoLanguage.Choose(setting, cookie, browser));

    private static bool IsMudBlazorKey(string key) => MudBlazorKey().IsMatch(key);

    private static HashSet<string> Placeholders(string text) =>
        [.. Placeholder().Matches(text.Replace("{{", string.Empty, StringComparison.Ordinal)).Select(m => m.Groups[1].Value)];

    private static Dictionary<string, string> Resources(string file) =>
        XDocument.Load(Path.Combine(Root, "Cierto.Domain", "Localization", file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!, StringComparer.Ordinal);

    private static Dictionary<string, (string File, bool Counted)> FindKeys()
    {
        var keys = new Dictionary<string, (string File, bool Counted)>(StringComparer.Ordinal)
        {
            // Passed on by name rather than written at the call: the search box's label (Text.SearchTerm's default).
            ["Search"] = ("Cierto.Domain/Common/Text.cs", false),
        };
        var files = SourceProjects
            .SelectMany(p => Directory.EnumerateFiles(Path.Combine(Root, p), "*.*", SearchOption.AllDirectories))
            .Where(f => (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains("Migrations", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var code = string.Join('\n', File.ReadLines(file).Where(l => !l.TrimStart().StartsWith("///", StringComparison.Ordinal)));
            var name = Path.GetRelativePath(Root, file);
            foreach (Match match in KeyUse().Matches(code))
            {
                var key = Unescape(match.Groups["key"].Value) + (match.Groups["what"].Success ? " was not found." : string.Empty);
                var counted = match.Groups["plural"].Success;
                keys[key] = (name, counted || (keys.TryGetValue(key, out var seen) && seen.Counted));
            }
        }

        return keys;
    }

    private static string Unescape(string literal) => EscapeSequence().Replace(literal, m => m.Groups[1].Value switch
    {
        "n" => "\n",
        "t" => "\t",
        var u when u.StartsWith('u') => ((char)Convert.ToInt32(u[1..], 16)).ToString(),
        var other => other,
    });

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cierto.Blazor.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository (Cierto.Blazor.sln) is not above the test binaries.");
    }

    private const string Literal = "\"(?<key>(?:[^\"\\\\]|\\\\.)*)\"";

    [GeneratedRegex(
        @"(?:\bL\[\s*" + Literal + @")" +
        @"|(?:(?<plural>\bL\.Plural|\bTexts\.Plural)\(\s*" + Literal + @")" +
        @"|(?:\bTexts\.(?:Get|Format)\(\s*" + Literal + @")" +
        @"|(?:ErrorMessage\s*=\s*" + Literal + @")" +
        @"|(?:\.(?:RequiredText|OptionalText|Filled|Email|Password)\(\s*" + Literal + @")" +
        @"|(?:(?<what>NotFoundException)\(\s*" + Literal + @")" +
        @"|(?:ForbiddenException\(\s*" + Literal + @")" +
        @"|(?:new(?:\s+NavItem)?\(\s*" + Literal + @",\s*""[^""]*"",\s*MudBlazor\.Icons)" +
        @"|(?:SearchTerm\([^;]*?,\s*" + Literal + @")")]
    private static partial Regex KeyUse();

    [GeneratedRegex(@"\\(u[0-9a-fA-F]{4}|.)")]
    private static partial Regex EscapeSequence();

    [GeneratedRegex(@"\{(\d+)(?:[:,][^}]*)?\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex("^(Mud[A-Za-z]+|Converter|HeatMap)_[A-Za-z]+$")]
    private static partial Regex MudBlazorKey();
}
