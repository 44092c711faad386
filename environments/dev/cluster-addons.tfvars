environment = "dev"

# Cost guards (README, "GPU and CPU capacity"): the most GPUs and CPU-node vCPUs Karpenter runs
# at once here. A pod that would go past them stays Pending.
gpu_limit = 1
cpu_limit = 32
