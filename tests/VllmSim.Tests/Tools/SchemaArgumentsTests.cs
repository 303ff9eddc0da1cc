using System.Text.Json;
using VllmSim.Tools;

namespace VllmSim.Tests.Tools;

public sealed class SchemaArgumentsTests
{
    [Theory]
    [InlineData("""{"type":"object","properties":{"q":{"type":"string"},"n":{"type":"integer"}},"required":["q"]}""", """{"q": "sim q"}""")]
    [InlineData("""{"type":"object","properties":{"n":{"type":"number","minimum":2.5,"maximum":10}},"required":["n"]}""", """{"n": 2.5}""")]
    [InlineData("""{"type":"object","properties":{"n":{"type":"integer","exclusiveMinimum":0,"maximum":0}},"required":["n"]}""", """{"n": 0}""")]
    [InlineData("""{"type":"object","properties":{"on":{"type":"boolean"},"x":{"type":"null"}},"required":["on","x"]}""", """{"on": true, "x": null}""")]
    [InlineData("""{"type":"object","properties":{"tags":{"type":"array","items":{"type":"string","enum":["a","b"]},"minItems":2}},"required":["tags"]}""", """{"tags": ["a", "a"]}""")]
    [InlineData("""{"type":"object","properties":{"when":{"type":"string","format":"date"},"c":{"const":{"k":[1, 2]}}},"required":["when","c"]}""", """{"when": "2025-01-01", "c": {"k": [1, 2]}}""")]
    [InlineData("""{"type":"object","properties":{"p":{"$ref":"#/$defs/P"}},"required":["p"],"$defs":{"P":{"type":"object","properties":{"id":{"type":["null","integer"]}},"required":["id"]}}}""", """{"p": {"id": 1}}""")]
    [InlineData("""{"type":"object","properties":{"v":{"anyOf":[{"type":"null"},{"type":"string","default":"x"}]}},"required":["v"]}""", """{"v": "x"}""")]
    [InlineData("""{"type":"object","properties":{"loop":{"$ref":"#"}},"required":["loop"]}""", null)]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string"}}}""", "{}")]
    [InlineData("""{"properties":{"s":{"description":"no type"}},"required":["s","missing"]}""", """{"s": "sim s"}""")]
    public void For_FillsEveryRequiredPropertyWithAValueOfItsType(string schema, string? expected)
    {
        var arguments = SchemaArguments.For(JsonDocument.Parse(schema).RootElement);

        using var parsed = JsonDocument.Parse(arguments);
        if (expected is not null)
        {
            Assert.Equal(expected, arguments);
        }
        else
        {
            Assert.Contains("null", arguments, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void For_NoSchema_IsAnEmptyObject() => Assert.Equal("{}", SchemaArguments.For(default));
}
