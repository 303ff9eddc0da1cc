namespace GpuRouter.Lifecycle;

public enum InstanceState { Stopped, Starting, Loading, Ready, Draining, Stopping, Failed }
