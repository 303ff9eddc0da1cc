namespace GpuRouter.Instances;

public enum InstanceState { Stopped, Starting, Loading, Ready, Draining, Stopping, Failed }
