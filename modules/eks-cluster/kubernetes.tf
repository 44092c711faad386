# In-cluster configuration that every workload relies on: storage classes and the
# controllers that turn Services into load balancers and GPUs into schedulable resources.

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

  depends_on = [module.eks]
}

# EKS creates gp2 with the in-tree provisioner; two default classes would make the
# choice for an unqualified PersistentVolumeClaim ambiguous.
resource "kubernetes_annotations" "gp2_not_default" {
  api_version = "storage.k8s.io/v1"
  kind        = "StorageClass"
  force       = true

  metadata {
    name = "gp2"
  }
  annotations = {
    "storageclass.kubernetes.io/is-default-class" = "false"
  }

  depends_on = [module.eks]
}

resource "helm_release" "aws_load_balancer_controller" {
  name       = "aws-load-balancer-controller"
  namespace  = "kube-system"
  repository = "https://aws.github.io/eks-charts"
  chart      = "aws-load-balancer-controller"
  version    = var.load_balancer_controller_chart_version
  wait       = true

  values = [yamlencode({
    clusterName  = module.eks.cluster_name
    region       = data.aws_region.current.region
    vpcId        = var.vpc_id
    replicaCount = 2
    serviceAccount = {
      create = true
      name   = "aws-load-balancer-controller"
    }
    nodeSelector = { "genai.platform/node-pool" = "system" }
    # IP targets send traffic straight to pod IPs, skipping a NodePort hop.
    defaultTargetType = "ip"
  })]

  depends_on = [module.load_balancer_controller_pod_identity]
}

resource "helm_release" "nvidia_device_plugin" {
  name             = "nvidia-device-plugin"
  namespace        = "nvidia-device-plugin"
  create_namespace = true
  repository       = "https://nvidia.github.io/k8s-device-plugin"
  chart            = "nvidia-device-plugin"
  version          = var.nvidia_device_plugin_chart_version

  values = [yamlencode({
    nodeSelector = { "nvidia.com/gpu.present" = "true" }
    tolerations = [{
      key      = "nvidia.com/gpu"
      operator = "Equal"
      value    = "true"
      effect   = "NoSchedule"
    }]
  })]

  depends_on = [module.eks]
}

data "aws_region" "current" {}
