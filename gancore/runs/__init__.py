"""Training runs and who may steer them: the run protocol, its state machine, the engine, snapshots, the process and Ray backends, the registry, the class and its presence."""
