# Capacity on demand: Karpenter launches GPU and CPU nodes when pods wait for them and removes
# them when empty. Its AWS side (roles, interruption queue, instance profile) is the platform
# stack's. The NodePools and EC2NodeClasses are a local chart installed after Karpenter's: a
# kubernetes_manifest would need the CRDs at plan time, which a new cluster does not have yet.

locals {
  karpenter_namespace = "kube-system"
  cpu_node_selector   = { "genai.platform/node-pool" = "cpu" }

  # Shared by both node classes; they differ in the root volume (GPU images and model caches
  # are large).
  node_class = {
    instanceProfile            = var.karpenter.instance_profile
    amiSelectorTerms           = [{ alias = var.karpenter.node_ami_alias }]
    subnetSelectorTerms        = [for id in var.karpenter.subnet_ids : { id = id }]
    securityGroupSelectorTerms = [for id in var.karpenter.security_group_ids : { id = id }]
    # IMDSv2 only, and out of reach of pods (one hop): pods get AWS access from Pod Identity.
    metadataOptions = { httpEndpoint = "enabled", httpTokens = "required", httpPutResponseHopLimit = 1 }
    tags            = { "karpenter.sh/discovery" = var.cluster_name }
  }
  root_volume = { for kind, size in { gpu = var.karpenter.gpu_root_volume_gib, cpu = 100 } : kind => [{
    deviceName = "/dev/xvda"
    ebs        = { volumeSize = "${size}Gi", volumeType = "gp3", encrypted = true, deleteOnTermination = true }
  }] }

  # Both capacity types in every pool: Karpenter launches spot when it can and falls back to on
  # demand when no spot capacity of the allowed types is left.
  capacity_types = ["spot", "on-demand"]

  node_pools = {
    gpu = {
      template = {
        metadata = { labels = merge(var.gpu_node_selector, { "genai.platform/node-pool" = "gpu" }) }
        spec = {
          nodeClassRef = { group = "karpenter.k8s.aws", kind = "EC2NodeClass", name = "gpu" }
          taints       = [{ key = var.gpu_toleration.key, value = var.gpu_toleration.value, effect = var.gpu_toleration.effect }]
          requirements = [
            { key = "karpenter.sh/capacity-type", operator = "In", values = local.capacity_types },
            { key = "node.kubernetes.io/instance-type", operator = "In", values = var.karpenter.gpu_instance_types },
            { key = "topology.kubernetes.io/zone", operator = "In", values = var.karpenter.gpu_zones },
            { key = "kubernetes.io/arch", operator = "In", values = ["amd64"] },
          ]
          expireAfter = "720h"
        }
      }
      # The cost guard: Karpenter launches no node that would take the pool past this many GPUs.
      limits     = { "nvidia.com/gpu" = var.karpenter.gpu_limit }
      disruption = { consolidationPolicy = "WhenEmpty", consolidateAfter = "10m" }
    }
    cpu = {
      template = {
        metadata = { labels = local.cpu_node_selector }
        spec = {
          nodeClassRef = { group = "karpenter.k8s.aws", kind = "EC2NodeClass", name = "cpu" }
          requirements = [
            { key = "karpenter.sh/capacity-type", operator = "In", values = local.capacity_types },
            { key = "karpenter.k8s.aws/instance-category", operator = "In", values = ["c", "m", "r"] },
            { key = "karpenter.k8s.aws/instance-generation", operator = "Gt", values = ["5"] },
            { key = "kubernetes.io/arch", operator = "In", values = ["amd64"] },
          ]
          expireAfter = "720h"
        }
      }
      limits     = { cpu = var.karpenter.cpu_limit }
      disruption = { consolidationPolicy = "WhenEmptyOrUnderutilized", consolidateAfter = "10m" }
    }
  }
}

resource "helm_release" "karpenter_crd" {
  name       = "karpenter-crd"
  namespace  = local.karpenter_namespace
  repository = "oci://public.ecr.aws/karpenter"
  chart      = "karpenter-crd"
  version    = var.karpenter.chart_version
  wait       = true
}

resource "helm_release" "karpenter" {
  name       = "karpenter"
  namespace  = local.karpenter_namespace
  repository = "oci://public.ecr.aws/karpenter"
  chart      = "karpenter"
  version    = var.karpenter.chart_version
  # The CRDs come from karpenter-crd, which Helm upgrades (a chart's crds/ folder it never does).
  skip_crds = true
  wait      = true
  timeout   = 600

  values = [yamlencode({
    settings = {
      clusterName       = var.cluster_name
      clusterEndpoint   = var.cluster_endpoint
      interruptionQueue = var.karpenter.queue_name
    }
    # The platform's Pod Identity association names this service account.
    serviceAccount = { name = var.karpenter.service_account }
    # On the on-demand system nodes, never on nodes Karpenter itself manages; the chart spreads
    # its two replicas over zones and keeps one running through disruptions (PDB).
    nodeSelector = var.system_node_selector
    replicas     = 2
    # Resolves through the node, so Karpenter starts even before CoreDNS has capacity.
    dnsPolicy = "Default"
  })]

  depends_on = [helm_release.karpenter_crd]
}

resource "helm_release" "karpenter_nodepools" {
  name      = "karpenter-nodepools"
  namespace = local.karpenter_namespace
  chart     = "${path.module}/charts/karpenter-nodepools"
  wait      = true

  values = [yamlencode({
    nodeClasses = {
      # g5, g6 and g6e carry local NVMe: RAID0 puts the kubelet's and containerd's storage (the
      # model server's emptyDirs, image layers) there, about 8x a gp3 root volume's baseline
      # throughput for the base model's download (benchmarks/model_load.py).
      gpu = merge(local.node_class, { blockDeviceMappings = local.root_volume.gpu, instanceStorePolicy = "RAID0" })
      cpu = merge(local.node_class, { blockDeviceMappings = local.root_volume.cpu })
    }
    nodePools = local.node_pools
  })]

  # The CRDs must exist, and the controller run (wait above): otherwise the apply would report
  # NodePools that nothing acts on.
  depends_on = [helm_release.karpenter]
}
