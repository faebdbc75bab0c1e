using Container.Runtime.Build.Parsing;
using Container.Runtime.Errors;
using Xunit;

namespace Container.Tests.Build;

/// <summary>docker's shell-word processing, checked against the cases of buildkit's own lexer tests.</summary>
public sealed class ShellLexerTests
{
    private static readonly Dictionary<string, string> Home = new()
    {
        ["PWD"] = "/home", ["SHELL"] = "bash", ["KOREAN"] = "한국어", ["NULL"] = "",
    };

    private static readonly ShellLexer Lexer = new();

    private static Func<string, string?> Lookup(IReadOnlyDictionary<string, string> variables) =>
        name => variables.TryGetValue(name, out var value) ? value : null;

    private static Func<string, string?> Lookup(params (string Name, string Value)[] variables) =>
        Lookup(variables.ToDictionary(v => v.Name, v => v.Value));

    // Null means the word is an error. The words and results are buildkit's envVarTest table (the Unix rows).
    public static TheoryData<string, string?> Words() => new()
    {
        { "hello", "hello" },
        { "he'll'o", "hello" },
        { "he'llo", null },
        { "he\\'llo", "he'llo" },
        { "he\\\\'llo", null },
        { "abc\\tdef", "abctdef" },
        { "\"abc\\tdef\"", "abc\\tdef" },
        { "\"abc\\\\tdef\"", "abc\\tdef" },
        { "'abc\\tdef'", "abc\\tdef" },
        { "hello\\", "hello" },
        { "hello\\\\", "hello\\" },
        { "\"hello", null },
        { "\"hello\\\"", null },
        { "\"hel'lo\"", "hel'lo" },
        { "'hello", null },
        { "'hello\\'", "hello\\" },
        { "'hello\\there'", "hello\\there" },
        { "'hello\\\\there'", "hello\\\\there" },
        { "\"''\"", "''" },
        { "$.", "$." },
        { "he$1x", "hex" },
        { "he$.x", "he$.x" },
        { "he$pwd.", "he." },
        { "he$PWD", "he/home" },
        { "he\\$PWD", "he$PWD" },
        { "he\\\\$PWD", "he\\/home" },
        { "\"he\\$PWD\"", "he$PWD" },
        { "\"he\\\\$PWD\"", "he\\/home" },
        { "\\${}", "${}" },
        { "\\${}aaa", "${}aaa" },
        { "he\\${}", "he${}" },
        { "he\\${}xx", "he${}xx" },
        { "${}", null },
        { "${}aaa", null },
        { "he${}", null },
        { "he${}xx", null },
        { "he${hi}", "he" },
        { "he${hi}xx", "hexx" },
        { "he${PWD}", "he/home" },
        { "he${.}", null },
        { "he${XXX:-000}xx", "he000xx" },
        { "he${PWD:-000}xx", "he/homexx" },
        { "he${XXX:-$PWD}xx", "he/homexx" },
        { "he${XXX:-${PWD:-yyy}}xx", "he/homexx" },
        { "he${XXX:-${YYY:-yyy}}xx", "heyyyxx" },
        { "he${XXX:YYY}", null },
        { "he${XXX?}", null },
        { "he${XXX:?}", null },
        { "he${PWD?}", "he/home" },
        { "he${PWD:?}", "he/home" },
        { "he${NULL?}", "he" },
        { "he${NULL:?}", null },
        { "he${XXX:+${PWD}}xx", "hexx" },
        { "he${PWD:+${XXX}}xx", "hexx" },
        { "he${PWD:+${SHELL}}xx", "hebashxx" },
        { "he${XXX:+000}xx", "hexx" },
        { "he${PWD:+000}xx", "he000xx" },
        { "'he${XX}'", "he${XX}" },
        { "\"he${PWD}\"", "he/home" },
        { "\"he'$PWD'\"", "he'/home'" },
        { "\"$PWD\"", "/home" },
        { "'$PWD'", "$PWD" },
        { "'\\$PWD'", "\\$PWD" },
        { "'\"hello\"'", "\"hello\"" },
        { "'he\\$PWD'", "he\\$PWD" },
        { "he${PWD", null },
        { "he${PWD:=000}xx", null },
        { "he${PWD:+${PWD}:}xx", "he/home:xx" },
        { "he${XXX:-\\$PWD:}xx", "he$PWD:xx" },
        { "he${XXX:-\\${PWD}z}xx", "he${PWDz}xx" },
        { "안녕하세요", "안녕하세요" },
        { "안'녕'하세요", "안녕하세요" },
        { "안'녕하세요", null },
        { "안녕\\'하세요", "안녕'하세요" },
        { "안\\\\'녕하세요", null },
        { "안녕\\t하세요", "안녕t하세요" },
        { "\"안녕\\t하세요\"", "안녕\\t하세요" },
        { "안녕하세요\\\\", "안녕하세요\\" },
        { "안녕$1x", "안녕x" },
        { "안녕${XXX:-${PWD:-yyy}}xx", "안녕/homexx" },
        { "안녕${PWD:+${SHELL}}xx", "안녕bashxx" },
        { "$KOREAN", "한국어" },
        { "안녕$KOREAN", "안녕한국어" },
        { "${{aaa}", null },
        { "${aaa}}", "}" },
        { "${aaa", null },
        { "${{aaa:-bbb}", null },
        { "${aaa:-bbb}}", "bbb}" },
        { "${aaa:-bbb", null },
        { "${aaa:-bbb}", "bbb" },
        { "${aaa:-${bbb:-ccc}}", "ccc" },
        { "${aaa:-bbb ${foo}", null },
        { "${aaa:-bbb {foo}", "bbb {foo" },
        { "${:}", null },
        { "${:-bbb}", null },
        { "${:+bbb}", null },
        // Positional and special parameters are never set in a Dockerfile.
        { "$1", "" },
        { "${1}", "" },
        { "${1:+bbb}", "" },
        { "${1:-bbb}", "bbb" },
        { "$999aaa", "aaa" },
        { "${999:-bbb}aaa", "bbbaaa" },
        { "$001aaa", "aaa" },
        { "${001:+bbb}aaa", "aaa" },
        { "$@", "" },
        { "$@@@", "@@" },
        { "$@aaa", "aaa" },
        { "${@:-bbb}aaa", "bbbaaa" },
        { "${*:-bbb}", "bbb" },
        { "$#", "" },
        { "${#:+bbb}", "" },
        { "${?:-bbb}", "bbb" },
        { "$-", "" },
        { "${-:-bbb}", "bbb" },
        { "$$", "" },
        { "${$:-bbb}", "bbb" },
        { "${!}", "" },
        { "$0", "" },
        { "${0:-bbb}", "bbb" },
    };

    [Theory]
    [MemberData(nameof(Words))]
    public void AWordIsExpandedAndUnquotedAsDockerDoes(string word, string? expected)
    {
        if (expected is null)
        {
            var error = Assert.Throws<ContainerException>(() => Lexer.ProcessWord(word, Lookup(Home)));
            Assert.Equal("DockerfileVariableError", error.ErrorId);
            Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        }
        else
        {
            Assert.Equal(expected, Lexer.ProcessWord(word, Lookup(Home)));
        }
    }

    // Null means an error. From buildkit's wordsTest; each case names the variables it has set.
    public static TheoryData<string, string, string[]?> SplitWords() => new()
    {
        { "", "hello", ["hello"] },
        { "", "hello${hi}bye", ["hellobye"] },
        { "hi=hi", "hello${hi}bye", ["hellohibye"] },
        { "space=abc  def", "hello${space}bye", ["helloabc", "defbye"] },
        { "space=abc  def", "hello\"${space}\"bye", ["helloabc  defbye"] },
        { "space=abc  def", "hello \"${space}\"bye", ["hello", "abc  defbye"] },
        { "leading=  ab c", "hello${leading}def", ["hello", "ab", "cdef"] },
        { "leading=  ab c", "hello\"${leading}\" def", ["hello  ab c", "def"] },
        { "leading=  ab c", "hello\"${leading}\"", ["hello  ab c"] },
        { "leading=  ab c", "hello${leading}", ["hello", "ab", "c"] },
        { "trailing=ab c   ", "hello${trailing}", ["helloab", "c"] },
        { "trailing=ab c   ", "hello${trailing}d", ["helloab", "c", "d"] },
        { "trailing=ab c   ", "hello\"${trailing}\"d", ["helloab c   d"] },
        { "trailing=ab c   ", "hel\"lo${trailing}\"", ["helloab c   "] },
        { "", "hello\" there  \"", ["hello there  "] },
        { "", "hello there     ", ["hello", "there"] },
        { "", "hello\\ there", ["hello there"] },
        { "", "hello\" there", null },
        { "", "hello\\\" there", ["hello\"", "there"] },
        { "", "hello\"\\\\there\"", ["hello\\there"] },
        { "", "hello\"\\there\"", ["hello\\there"] },
        { "", "hello'\\\\there'", ["hello\\\\there"] },
        { "", "hello'\\there'", ["hello\\there"] },
        { "", "hello'$there'", ["hello$there"] },
    };

    [Theory]
    [MemberData(nameof(SplitWords))]
    public void WordsSplitOnUnquotedWhitespaceAfterExpansion(string variable, string text, string[]? expected)
    {
        var variables = new Dictionary<string, string>();
        if (variable.Length > 0)
            variables[variable[..variable.IndexOf('=')]] = variable[(variable.IndexOf('=') + 1)..];

        if (expected is null)
            Assert.Equal("DockerfileVariableError", Assert.Throws<ContainerException>(() => Lexer.ProcessWords(text, Lookup(variables))).ErrorId);
        else
            Assert.Equal(expected, Lexer.ProcessWords(text, Lookup(variables)));
    }

    [Fact]
    public void UnsetIsNotEmptyForTheModifiersWithoutAColon()
    {
        var fooSetBarEmpty = Lookup(("FOO", "xxx"), ("BAR", ""));
        Assert.Equal("xxx  ccc", Lexer.ProcessWord("${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", fooSetBarEmpty));
        Assert.Equal("xxx bbb ccc", Lexer.ProcessWord("${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}", fooSetBarEmpty));
        Assert.Equal("aaa bbb ", Lexer.ProcessWord("${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}", fooSetBarEmpty));
        Assert.Equal("aaa  ", Lexer.ProcessWord("${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}", fooSetBarEmpty));
        Assert.Equal("xxx", Lexer.ProcessWord("${FOO:-}", fooSetBarEmpty));
        Assert.Equal("", Lexer.ProcessWord("${FOO:-}", Lookup()));
        Assert.Equal("", Lexer.ProcessWord("${BAR?bbb}", fooSetBarEmpty));
        Assert.Equal("xxx", Lexer.ProcessWord("${FOO:?aaa}", fooSetBarEmpty));
    }

    [Fact]
    public void AMandatoryVariableFailsWithItsExpandedMessage()
    {
        var set = Lookup(("VAR", "plain"), ("ARG", "x"));
        var empty = Lookup(("VAR", ""), ("ARG", "x"));
        var unset = Lookup(("ARG", "x"));

        Assert.Equal("plain", Lexer.ProcessWord("${VAR:?message here$ARG}", set));
        Assert.Contains("VAR: message herex", Assert.Throws<ContainerException>(() => Lexer.ProcessWord("${VAR:?message here$ARG}", empty)).Message);
        Assert.Contains("VAR: message herex", Assert.Throws<ContainerException>(() => Lexer.ProcessWord("${VAR:?message here$ARG}", unset)).Message);

        Assert.Equal("plain", Lexer.ProcessWord("${VAR?message here$ARG}", set));
        Assert.Equal("", Lexer.ProcessWord("${VAR?message here$ARG}", empty));
        Assert.Contains("VAR: message herex", Assert.Throws<ContainerException>(() => Lexer.ProcessWord("${VAR?message here$ARG}", unset)).Message);

        Assert.Contains("is not allowed to be unset", Assert.Throws<ContainerException>(() => Lexer.ProcessWord("${BAZ:?}", unset)).Message);
        Assert.Contains("is not allowed to be empty", Assert.Throws<ContainerException>(() => Lexer.ProcessWord("${VAR:?}", empty)).Message);
    }

    [Theory]
    [InlineData("${FOO=aaa}")]
    [InlineData("${FOO=:aaa}")]
    [InlineData("${FOO=}")]
    [InlineData("${FOO:#}")]
    [InlineData("${FOO:##}")]
    [InlineData("${FOO:%}")]
    [InlineData("${FOO:%%}")]
    [InlineData("${FOO//ww}")]
    [InlineData("${FOO//}")]
    [InlineData("${FOO#\\x}")]
    public void AnUnsupportedModifierOrPatternIsAnError(string word)
    {
        var error = Assert.Throws<ContainerException>(() => Lexer.ProcessWord(word, Lookup(("FOO", "xxyy"))));
        Assert.Equal("DockerfileVariableError", error.ErrorId);
        Assert.Contains(word, error.Message);
    }

    [Theory]
    [InlineData("${FOO#()[]{\\}^$.\\*\\?|\\\\}", "()[]{}^$.*?|\\x", "x")]
    [InlineData("${FOO%%\\**}", "xx**", "xx")]
    [InlineData("${FOO#*x*y}", "xxyy", "y")]
    [InlineData("${FOO#*}", "xxyy", "xxyy")]
    [InlineData("${FOO#}", "xxyy", "xxyy")]
    [InlineData("${FOO##*x}", "xxyy", "yy")]
    [InlineData("${FOO##}", "xxyy", "xxyy")]
    [InlineData("${FOO#?\\?}", "???y", "?y")]
    [InlineData("${ABC:-.}${FOO%x}${ABC:-.}", "xxyy", ".xxyy.")]
    [InlineData("${FOO%%\\**\\*}", "a***yy*", "a")]
    [InlineData("${FOO%}", "xxyy", "xxyy")]
    [InlineData("${FOO%y*}", "xxyy", "xxy")]
    [InlineData("${FOO%%y*}", "xxyy", "xx")]
    [InlineData("${FOO//\\//\\/}", "/tmp/foo.txt", "\\/tmp\\/foo.txt")]
    [InlineData("${FOO///}", "xxyy", "xxyy")]
    [InlineData("${FOO/x/}", "xxyy", "xyy")]
    [InlineData("${FOO//x/z}", "xxyy", "zzyy")]
    public void PrefixSuffixAndReplacementPatternsWorkAsBuildkits(string word, string value, string expected) =>
        Assert.Equal(expected, Lexer.ProcessWord(word, Lookup(("FOO", value))));

    [Fact]
    public void PatternsMayComeFromVariables()
    {
        Assert.Equal("xyy", Lexer.ProcessWord("${FOO#$BAR}", Lookup(("FOO", "xxyy"), ("BAR", "x"))));
        Assert.Equal("xxyy", Lexer.ProcessWord("${FOO#$BAR}", Lookup(("FOO", "xxyy"), ("BAR", ""))));
        Assert.Equal("xxyy", Lexer.ProcessWord("${FOO%%$BAR}", Lookup(("FOO", "xxyy"), ("BAR", ""))));
        Assert.Equal("wwxxyy", Lexer.ProcessWord("${FOO/$BAR/ww}", Lookup(("FOO", "xxyy"), ("BAR", ""))));
        Assert.Equal("/foo.*/*.txt - /foo..*.txt",
            Lexer.ProcessWord("${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}", Lookup(("FOO", "/foo*/*/*.txt"), ("NEEDLE", "\\*/"))));
        Assert.Equal("/tmp/bar.txt - /bar.txt",
            Lexer.ProcessWord("${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}", Lookup(("FOO", "/tmp/tmp/bar.txt"), ("NEEDLE", "/tmp"))));
        Assert.Equal("/foo/b/c.txt - /foo/c.txt",
            Lexer.ProcessWord("${FOO/$NEEDLE/$R} - ${FOO//$NEEDLE/$R}", Lookup(("FOO", "/a/foo/b/c.txt"), ("NEEDLE", "/?/"), ("R", "/"))));
        Assert.Equal("https://google.de",
            Lexer.ProcessWord("${FOO/$NEEDLE/$R}", Lookup(("FOO", "http://google.de"), ("NEEDLE", "http://"), ("R", "https://"))));
        Assert.Equal("", Lexer.ProcessWord("${FOO///}", Lookup()));
    }

    [Fact]
    public void ABacktickEscapeTokenEscapesAndABackslashIsPlain()
    {
        var backtick = new ShellLexer('`');
        Assert.Equal("C:\\path$PWD", backtick.ProcessWord("C:\\path`$PWD", Lookup(Home)));
        Assert.Equal("a b", backtick.ProcessWord("a` b", Lookup(Home)));
        Assert.Equal(["a b", "c"], backtick.ProcessWords("a` b c", Lookup(Home)));
        Assert.Equal("say \"hi\"", backtick.ProcessWord("\"say `\"hi`\"\"", Lookup(Home)));
        Assert.Throws<ArgumentException>(() => new ShellLexer('x'));
    }

    [Fact]
    public void AHeredocBodyKeepsItsQuotes()
    {
        Assert.Equal("echo \"/home\" '/home' $PWD\n", ShellLexer.ExpandHeredoc("echo \"$PWD\" '$PWD' \\$PWD\n", Lookup(Home)));
    }

    [Fact]
    public void ExpandedEmptyWordsAreDropped()
    {
        Assert.Equal(["a", "b"], Lexer.ProcessWords("a \"\" b", Lookup()));
        Assert.Equal(["a", "b"], Lexer.ProcessWords("a $EMPTY b", Lookup(("EMPTY", ""))));
        Assert.Equal(["abc"], Lexer.ProcessWords("a${X:-b}c", Lookup()));
    }
}
