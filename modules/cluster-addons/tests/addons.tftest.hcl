mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

mock_provider "kubernetes" {}
mock_provider "helm" {}

variables {
  cluster_name = "genai-dev"
  vpc_id       = "vpc-0123456789abcdef0"
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

run "rejects_an_upper_case_service_account" {
  command = plan
  variables {
    load_balancer_controller_service_account = "AWS-LB-Controller"
  }
  expect_failures = [var.load_balancer_controller_service_account]
}
