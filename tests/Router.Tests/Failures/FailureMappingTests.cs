using GpuRouter.Failures;
using GpuRouter.Http;

namespace Router.Tests.Failures;

public sealed class FailureMappingTests
{
    [Theory]
    [InlineData(FailureKind.InvalidRequest, 400, "invalid_request_error")]
    [InlineData(FailureKind.Unauthenticated, 401, "authentication_error")]
    [InlineData(FailureKind.Forbidden, 403, "permission_error")]
    [InlineData(FailureKind.NotFound, 404, "invalid_request_error")]
    [InlineData(FailureKind.TooLarge, 413, "invalid_request_error")]
    [InlineData(FailureKind.RateLimited, 429, "rate_limit_error")]
    [InlineData(FailureKind.Unavailable, 503, "service_unavailable")]
    [InlineData(FailureKind.Timeout, 504, "timeout_error")]
    public void From_EachKind_HasItsStatusAndOpenAiType(FailureKind kind, int status, string type)
    {
        var error = RouterError.From(new Failure(kind, "some_code", "why", "param", TimeSpan.FromSeconds(3), ErrorOrigin.Backend));

        Assert.Equal(status, error.Status);
        Assert.Equal(type, error.Type);
        Assert.Equal("some_code", error.Code);
        Assert.Equal("why", error.Message);
        Assert.Equal("param", error.Param);
        Assert.Equal(TimeSpan.FromSeconds(3), error.RetryAfter);
        Assert.Equal(ErrorOrigin.Backend, error.Origin);
    }

    [Fact]
    public void From_TheFactories_KeepTheirCodesAndParams()
    {
        Assert.Equal(("context_length_exceeded", "messages"), Pair(Failure.ContextTooLong("long")));
        Assert.Equal(("model_not_found", "model"), Pair(Failure.ModelNotFound("no")));
        Assert.Equal(("invalid_api_key", null), Pair(Failure.Unauthorized("key")));
        Assert.Equal(TimeSpan.FromSeconds(7), RouterError.From(Failure.RateLimited("slow", TimeSpan.FromSeconds(7))).RetryAfter);
        Assert.Equal(ErrorOrigin.Backend, RouterError.From(Failure.BackendTimeout("gone")).Origin);
    }

    private static (string, string?) Pair(Failure failure)
    {
        var error = RouterError.From(failure);
        return (error.Code, error.Param);
    }
}
