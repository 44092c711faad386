mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

mock_provider "kubernetes" {}
mock_provider "helm" {}

variables {
  cluster_name     = "genai-dev"
  cluster_endpoint = "https://0123456789ABCDEF0123456789ABCDEF.gr7.us-east-1.eks.amazonaws.com"
  vpc_id           = "vpc-0123456789abcdef0"
  karpenter = {
    queue_name         = "genai-dev-karpenter"
    instance_profile   = "genai-dev-karpenter-node"
    subnet_ids         = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]
    security_group_ids = ["sg-0123456789abcdef1"]
    gpu_instance_types = ["g6.2xlarge", "g6e.xlarge", "g5.2xlarge"]
    gpu_zones          = ["us-east-1b"]
    gpu_limit          = 2
    cpu_limit          = 64
  }
}

run "addons" {
  command = plan

  assert {
    condition     = kubernetes_storage_class_v1.gp3.metadata[0].annotations["storageclass.kubernetes.io/is-default-class"] == "true" && kubernetes_storage_class_v1.gp3.parameters == tomap({ type = "gp3", encrypted = "true", fsType = "ext4" })
    error_message = "gp3, encrypted, is the default StorageClass."
  }
  assert {
    condition     = kubernetes_storage_class_v1.gp3.storage_provisioner == "ebs.csi.aws.com" && kubernetes_storage_class_v1.gp3.volume_binding_mode == "WaitForFirstConsumer"
    error_message = "Volumes come from the EBS CSI driver in the zone of the pod that claims them."
  }
  assert {
    condition = yamldecode(helm_release.aws_load_balancer_controller.values[0]).clusterName == "genai-dev" && yamldecode(helm_release.aws_load_balancer_controller.values[0]).vpcId == "vpc-0123456789abcdef0" && yamldecode(
      helm_release.aws_load_balancer_controller.values[0]
    ).region == "us-east-1"
    error_message = "The load balancer controller is told its cluster, VPC and Region (no instance metadata lookups)."
  }
  assert {
    condition     = yamldecode(helm_release.aws_load_balancer_controller.values[0]).serviceAccount.name == "aws-load-balancer-controller" && helm_release.aws_load_balancer_controller.wait
    error_message = "The controller uses the service account of its Pod Identity association, and the apply waits until it runs."
  }
  assert {
    condition     = yamldecode(helm_release.nvidia_device_plugin.values[0]).tolerations == [{ key = "nvidia.com/gpu", operator = "Equal", value = "true", effect = "NoSchedule" }]
    error_message = "The device plugin tolerates the GPU nodes' taint."
  }
  assert {
    condition     = yamldecode(helm_release.nvidia_device_plugin.values[0]).nodeSelector == { "nvidia.com/gpu.present" = "true" }
    error_message = "The device plugin runs on GPU nodes only."
  }
  assert {
    # The exporter lands exactly where Karpenter's GPU NodePool puts GPUs: it tolerates the
    # pool's taints and selects labels the pool's nodes carry.
    condition = alltrue([
      for taint in yamldecode(helm_release.karpenter_nodepools.values[0]).nodePools.gpu.template.spec.taints : anytrue([
        for t in yamldecode(helm_release.dcgm_exporter.values[0]).tolerations : t.key == taint.key && t.value == taint.value && t.effect == taint.effect
      ])
      ]) && alltrue([
      for key, value in yamldecode(helm_release.dcgm_exporter.values[0]).nodeSelector : yamldecode(helm_release.karpenter_nodepools.values[0]).nodePools.gpu.template.metadata.labels[key] == value
    ])
    error_message = "The DCGM exporter runs on the GPU NodePool's nodes, tolerating its taint."
  }
  assert {
    condition     = helm_release.dcgm_exporter.version == "4.2.3" && yamldecode(helm_release.dcgm_exporter.values[0]).serviceMonitor.enabled == false
    error_message = "The DCGM exporter's chart is pinned and creates no ServiceMonitor (no Prometheus Operator here)."
  }
}

run "karpenter" {
  command = plan

  assert {
    condition     = yamldecode(helm_release.karpenter.values[0]).settings == { clusterName = "genai-dev", clusterEndpoint = var.cluster_endpoint, interruptionQueue = "genai-dev-karpenter" }
    error_message = "Karpenter is told its cluster, API endpoint and the platform's interruption queue."
  }
  assert {
    condition     = yamldecode(helm_release.karpenter.values[0]).serviceAccount.name == "karpenter" && yamldecode(helm_release.karpenter.values[0]).nodeSelector == { "genai.platform/node-pool" = "system" }
    error_message = "Karpenter runs as the Pod Identity service account, on the system nodes (never on nodes it manages)."
  }
  assert {
    condition     = helm_release.karpenter.skip_crds && helm_release.karpenter_crd.chart == "karpenter-crd" && helm_release.karpenter_crd.version == helm_release.karpenter.version && can(regex("^1\\.[0-9]+\\.[0-9]+$", helm_release.karpenter.version))
    error_message = "Karpenter 1.x is pinned, its CRDs from the karpenter-crd chart of the same version."
  }
  assert {
    condition     = startswith(helm_release.karpenter_nodepools.chart, path.module) && helm_release.karpenter_nodepools.wait
    error_message = "NodePools and EC2NodeClasses come from the module's local chart, not kubernetes_manifest."
  }
  assert {
    condition     = [for r in yamldecode(helm_release.karpenter_nodepools.values[0]).nodePools.gpu.template.spec.requirements : r.values if r.key == "karpenter.sh/capacity-type"][0] == ["spot", "on-demand"] && [for r in yamldecode(helm_release.karpenter_nodepools.values[0]).nodePools.cpu.template.spec.requirements : r.values if r.key == "karpenter.sh/capacity-type"][0] == ["spot", "on-demand"]
    error_message = "Both pools prefer spot and fall back to on demand."
  }
  assert {
    condition     = [for r in yamldecode(helm_release.karpenter_nodepools.values[0]).nodePools.gpu.template.spec.requirements : r.values if r.key == "node.kubernetes.io/instance-type"][0] == ["g6.2xlarge", "g6e.xlarge", "g5.2xlarge"] && [for r in yamldecode(helm_release.karpenter_nodepools.values[0]).nodePools.gpu.template.spec.requirements : r.values if r.key == "topology.kubernetes.io/zone"][0] == ["us-east-1b"]
    error_message = "GPU nodes come in the given families and sizes, in the zones that offer them."
  }
  assert {
    condition     = yamldecode(helm_release.karpenter_nodepools.values[0]).nodePools.gpu.template.spec.taints == [{ key = "nvidia.com/gpu", value = "true", effect = "NoSchedule" }] && yamldecode(helm_release.karpenter_nodepools.values[0]).nodePools.gpu.template.metadata.labels["nvidia.com/gpu.present"] == "true"
    error_message = "GPU nodes carry the taint GPU pods tolerate and the label their node selector (and the device plugin) asks for."
  }
  assert {
    condition     = yamldecode(helm_release.karpenter_nodepools.values[0]).nodePools.gpu.limits == { "nvidia.com/gpu" = 2 } && yamldecode(helm_release.karpenter_nodepools.values[0]).nodePools.gpu.disruption.consolidationPolicy == "WhenEmpty"
    error_message = "The GPU pool stops at the environment's GPU limit and removes a node only when it is empty."
  }
  assert {
    condition     = yamldecode(helm_release.karpenter_nodepools.values[0]).nodePools.cpu.template.metadata.labels == output.cpu_node_selector && length(try(yamldecode(helm_release.karpenter_nodepools.values[0]).nodePools.cpu.template.spec.taints, [])) == 0
    error_message = "CPU nodes carry the label the notebooks' CPU profile selects."
  }
  assert {
    condition = alltrue([for c in yamldecode(helm_release.karpenter_nodepools.values[0]).nodeClasses : (
      c.instanceProfile == "genai-dev-karpenter-node" && c.subnetSelectorTerms == [{ id = "subnet-0aaaaaaaaaaaaaaa1" }, { id = "subnet-0bbbbbbbbbbbbbbb2" }] &&
      c.securityGroupSelectorTerms == [{ id = "sg-0123456789abcdef1" }] && c.metadataOptions.httpTokens == "required" && c.blockDeviceMappings[0].ebs.encrypted &&
      startswith(c.amiSelectorTerms[0].alias, "al2023@v")
    )])
    error_message = "Node classes use the platform's instance profile, private subnets and node security group, IMDSv2, encrypted volumes and a pinned AMI."
  }
  assert {
    condition     = yamldecode(helm_release.karpenter_nodepools.values[0]).nodeClasses.gpu.instanceStorePolicy == "RAID0" && !can(yamldecode(helm_release.karpenter_nodepools.values[0]).nodeClasses.cpu.instanceStorePolicy)
    error_message = "GPU nodes keep pod storage (the model's weights) on their NVMe instance store."
  }
  # Volumes and zones together: a claim binds only once its pod is scheduled, so Karpenter picks
  # the zone (among the pool's) and the volume follows; later the volume's zone constrains the node.
  assert {
    condition     = kubernetes_storage_class_v1.gp3.volume_binding_mode == "WaitForFirstConsumer" && contains([for r in yamldecode(helm_release.karpenter_nodepools.values[0]).nodePools.gpu.template.spec.requirements : r.key], "topology.kubernetes.io/zone")
    error_message = "Volumes wait for their pod, whose zone the GPU pool's zone requirement bounds."
  }
  assert {
    condition     = yamldecode(helm_release.aws_load_balancer_controller.values[0]).podDisruptionBudget == { maxUnavailable = 1 } && contains([for c in yamldecode(helm_release.aws_load_balancer_controller.values[0]).topologySpreadConstraints : c.whenUnsatisfiable if c.topologyKey == "kubernetes.io/hostname"], "DoNotSchedule")
    error_message = "The load balancer controller's replicas keep to separate nodes and a drain takes one at a time."
  }
}

run "rejects_an_unpinned_node_ami" {
  command = plan
  variables {
    karpenter = merge(var.karpenter, { node_ami_alias = "al2023@latest" })
  }
  expect_failures = [var.karpenter]
}

run "rejects_a_fractional_gpu_limit" {
  command = plan
  variables {
    karpenter = merge(var.karpenter, { gpu_limit = 1.5 })
  }
  expect_failures = [var.karpenter]
}

run "rejects_a_vpc_that_is_not_an_id" {
  command = plan
  variables {
    vpc_id = "genai-dev"
  }
  expect_failures = [var.vpc_id]
}

run "rejects_an_unknown_taint_effect" {
  command = plan
  variables {
    gpu_toleration = { key = "nvidia.com/gpu", operator = "Equal", value = "true", effect = "NO_SCHEDULE" }
  }
  expect_failures = [var.gpu_toleration]
}

run "rejects_a_chart_version_that_is_not_semver" {
  command = plan
  variables {
    load_balancer_controller_chart_version = "latest"
  }
  expect_failures = [var.load_balancer_controller_chart_version]
}

run "rejects_a_malformed_cluster_name" {
  command = plan
  variables {
    cluster_name = "genai dev"
  }
  expect_failures = [var.cluster_name]
}

run "rejects_a_device_plugin_version_range" {
  command = plan
  variables {
    nvidia_device_plugin_chart_version = "~> 0.17"
  }
  expect_failures = [var.nvidia_device_plugin_chart_version]
}

run "rejects_a_dcgm_exporter_version_range" {
  command = plan
  variables {
    dcgm_exporter_chart_version = "4.x"
  }
  expect_failures = [var.dcgm_exporter_chart_version]
}

run "rejects_an_upper_case_service_account" {
  command = plan
  variables {
    load_balancer_controller_service_account = "AWS-LB-Controller"
  }
  expect_failures = [var.load_balancer_controller_service_account]
}

run "rejects_a_karpenter_chart_range" {
  command = plan
  variables {
    karpenter = merge(var.karpenter, { chart_version = "~> 1.12" })
  }
  expect_failures = [var.karpenter]
}

run "rejects_karpenter_without_gpu_zones" {
  command = plan
  variables {
    karpenter = merge(var.karpenter, { gpu_zones = [] })
  }
  expect_failures = [var.karpenter]
}

run "rejects_an_http_endpoint" {
  command = plan
  variables {
    cluster_endpoint = "http://0123456789ABCDEF0123456789ABCDEF.gr7.us-east-1.eks.amazonaws.com"
  }
  expect_failures = [var.cluster_endpoint]
}
