namespace GpuRouter.Usage;

/// <summary>How GET /admin/usage groups its rows: <c>by=client|model|user</c>, or per client and model without <c>by</c>.</summary>
public enum UsageGrouping { ClientAndModel, Client, Model, User }
