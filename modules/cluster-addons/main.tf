# What every workload in the cluster relies on: a default StorageClass, the controller that turns
# Services into load balancers, the plugin that makes GPUs schedulable, and Karpenter, which
# brings nodes on demand (karpenter.tf).

data "aws_region" "current" {}

resource "kubernetes_storage_class_v1" "gp3" {
  metadata {
    name = "gp3"
    annotations = {
      "storageclass.kubernetes.io/is-default-class" = "true"
    }
  }

  storage_provisioner    = "ebs.csi.aws.com"
  reclaim_policy         = "Delete"
  volume_binding_mode    = "WaitForFirstConsumer"
  allow_volume_expansion = true
  parameters = {
    type      = "gp3"
    encrypted = "true"
    fsType    = "ext4"
  }
}

resource "helm_release" "aws_load_balancer_controller" {
  name       = "aws-load-balancer-controller"
  namespace  = "kube-system"
  repository = "https://aws.github.io/eks-charts"
  chart      = "aws-load-balancer-controller"
  version    = var.load_balancer_controller_chart_version
  # Its webhook rejects Services until it runs: the workloads stack starts only after this.
  wait    = true
  timeout = 600

  values = [yamlencode({
    clusterName  = var.cluster_name
    region       = data.aws_region.current.region
    vpcId        = var.vpc_id
    replicaCount = 2
    serviceAccount = {
      # Its AWS role comes from the Pod Identity association the platform stack made for
      # this service account name.
      create = true
      name   = var.load_balancer_controller_service_account
    }
    nodeSelector = var.system_node_selector
    # Its webhook refuses every Service change while no replica runs: the two replicas keep to
    # different nodes (and zones where they can), and a drain takes one at a time.
    podDisruptionBudget = { maxUnavailable = 1 }
    topologySpreadConstraints = [
      for key, when in { "kubernetes.io/hostname" = "DoNotSchedule", "topology.kubernetes.io/zone" = "ScheduleAnyway" } : {
        maxSkew                                   = 1
        topologyKey                               = key
        whenUnsatisfiable                         = when
        labelSelector                             = { matchLabels = { "app.kubernetes.io/name" = "aws-load-balancer-controller" } }
      }
    ]
    # IP targets send traffic straight to pod IPs, skipping a NodePort hop.
    defaultTargetType = "ip"
  })]
}

resource "helm_release" "nvidia_device_plugin" {
  name             = "nvidia-device-plugin"
  namespace        = "nvidia-device-plugin"
  create_namespace = true
  repository       = "https://nvidia.github.io/k8s-device-plugin"
  chart            = "nvidia-device-plugin"
  version          = var.nvidia_device_plugin_chart_version
  wait             = true
  timeout          = 600

  values = [yamlencode({
    nodeSelector = var.gpu_node_selector
    tolerations  = [var.gpu_toleration]
  })]
}

# GPU metrics (DCGM_FI_*: utilisation, framebuffer memory, power, XID errors) for the managed
# Prometheus scraper of infra/platform, which finds the pods by the chart's name label and the
# port named "metrics". GPU nodes only: elsewhere the exporter finds no GPU and crash-loops.
resource "helm_release" "dcgm_exporter" {
  name             = "dcgm-exporter"
  namespace        = "dcgm-exporter"
  create_namespace = true
  repository       = "https://nvidia.github.io/dcgm-exporter/helm-charts"
  chart            = "dcgm-exporter"
  version          = var.dcgm_exporter_chart_version
  # A DaemonSet with no GPU node yet has nothing to wait for; Karpenter starts GPU nodes on demand.
  wait = false

  values = [yamlencode({
    nodeSelector = var.gpu_node_selector
    tolerations  = [var.gpu_toleration]
    # No Prometheus Operator in the cluster: the managed scraper finds the pods itself.
    serviceMonitor = { enabled = false }
    resources = {
      requests = { cpu = "100m", memory = "256Mi" }
      limits   = { memory = "512Mi" }
    }
  })]

  depends_on = [helm_release.nvidia_device_plugin]
}
