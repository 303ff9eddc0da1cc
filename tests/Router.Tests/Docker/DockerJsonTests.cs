using System.Text.Json;
using GpuRouter.Docker;

namespace Router.Tests.Docker;

/// <summary>The wire shapes Docker expects and sends, checked without a daemon.</summary>
public sealed class DockerJsonTests
{
    [Fact]
    public void Serialize_CreateSpec_DockersShapeWithoutNulls()
    {
        var spec = new ContainerCreateSpec
        {
            Image = "vllm/vllm-openai:v0.9",
            Cmd = ["--model", "m"],
            Env = ["HF_HOME=/hf"],
            Labels = new Dictionary<string, string> { ["gpu-router.managed"] = "true" },
            ExposedPorts = ["8000/tcp"],
            HostConfig = new HostConfig
            {
                IpcMode = "host",
                Binds = ["/srv/hf-cache:/hf"],
                PortBindings = new Dictionary<string, IReadOnlyList<PortBinding>?>
                {
                    ["8000/tcp"] = [new PortBinding { HostIp = "127.0.0.1", HostPort = "18000" }],
                },
                RestartPolicy = new RestartPolicy(),
                DeviceRequests = [new DeviceRequest { Driver = "nvidia", DeviceIds = ["0", "1"], Capabilities = [["gpu"]] }],
                ShmSize = 1L << 30,
            },
            NetworkingConfig = new NetworkingConfig
            {
                EndpointsConfig = new Dictionary<string, EndpointSettings> { ["llm_net"] = new() { Aliases = ["llama_0"] } },
            },
        };

        var json = JsonSerializer.Serialize(spec, DockerJsonContext.Default.ContainerCreateSpec);

        const string expected = """
            {"Image":"vllm/vllm-openai:v0.9","Cmd":["--model","m"],"Env":["HF_HOME=/hf"],"Labels":{"gpu-router.managed":"true"},
            "ExposedPorts":{"8000/tcp":{}},"HostConfig":{"IpcMode":"host","Binds":["/srv/hf-cache:/hf"],
            "PortBindings":{"8000/tcp":[{"HostIp":"127.0.0.1","HostPort":"18000"}]},"RestartPolicy":{"Name":"no"},
            "DeviceRequests":[{"Driver":"nvidia","DeviceIDs":["0","1"],"Capabilities":[["gpu"]]}],"ShmSize":1073741824},
            "NetworkingConfig":{"EndpointsConfig":{"llm_net":{"Aliases":["llama_0"]}}}}
            """;
        Assert.Equal(expected.ReplaceLineEndings(""), json);
    }

    [Fact]
    public void Deserialize_Inspect_NanosecondTimesAndZeroTimeAsNull()
    {
        const string json = """
            {"Id":"abc","Name":"/llama_0","RestartCount":0,
             "State":{"Status":"running","Running":true,"OOMKilled":false,"Pid":42,"ExitCode":0,"Error":"",
                      "StartedAt":"2026-11-22T05:00:25.703104348Z","FinishedAt":"0001-01-01T00:00:00Z"},
             "Config":{"Image":"vllm/vllm-openai:v0.9","Labels":{"gpu-router.instance":"llama_0"},"Cmd":["--model","m"],
                       "Tty":false,"ExposedPorts":{"8000/tcp":{}}},
             "HostConfig":{"NetworkMode":"none","RestartPolicy":{"Name":"","MaximumRetryCount":0},"PortBindings":null},
             "NetworkSettings":{"Ports":{"8000/tcp":[{"HostIp":"127.0.0.1","HostPort":"18000"}],"9000/tcp":null},
                                "Networks":{"llm_net":{"NetworkID":"n1","IPAddress":"172.18.0.2","Aliases":["llama_0"]}}}}
            """;

        var inspect = JsonSerializer.Deserialize(json, DockerJsonContext.Default.ContainerInspect)!;

        Assert.Equal(new DateTimeOffset(2026, 11, 22, 5, 0, 25, TimeSpan.Zero).AddTicks(7031043), inspect.State.StartedAt);
        Assert.Null(inspect.State.FinishedAt);
        Assert.Equal(["8000/tcp"], inspect.Config.ExposedPorts);
        Assert.Equal("llama_0", inspect.Config.Labels!["gpu-router.instance"]);
        Assert.Equal("18000", inspect.NetworkSettings!.Ports!["8000/tcp"]![0].HostPort);
        Assert.Null(inspect.NetworkSettings.Ports["9000/tcp"]);
        Assert.Equal("172.18.0.2", inspect.NetworkSettings.Networks!["llm_net"].IpAddress);
        Assert.Equal("", inspect.HostConfig!.RestartPolicy!.Name);
    }

    [Fact]
    public void ParseEvent_DieLine_ActionActorAttributesAndNanosecondTime()
    {
        const string line = """
            {"status":"die","id":"c1","from":"img","Type":"container","Action":"die",
             "Actor":{"ID":"c1","Attributes":{"exitCode":"3","image":"img","name":"llama_0","gpu-router.managed":"true"}},
             "scope":"local","time":1795323640,"timeNano":1795323640644168304}
            """;

        var dockerEvent = DockerEventStream.Parse(line.ReplaceLineEndings(""))!;

        Assert.Equal(("container", "die", "c1"), (dockerEvent.Type, dockerEvent.Action, dockerEvent.ActorId));
        Assert.Equal(3, dockerEvent.ExitCode);
        Assert.Equal("llama_0", dockerEvent.Name);
        Assert.Equal("true", dockerEvent.Attributes["gpu-router.managed"]);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795323640).AddTicks(6441683), dockerEvent.Time);
        Assert.Null(DockerEventStream.Parse(""));
    }

    [Fact]
    public void UnixTime_Since_SecondsWithNineFractionDigits() =>
        Assert.Equal(
            "1795323640.644168300",
            DockerQuery.UnixTime(DateTimeOffset.FromUnixTimeSeconds(1795323640).AddTicks(6441683)));
}
