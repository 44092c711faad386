# The stack's own variable validations (the modules test theirs).

mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

mock_provider "time" {}
mock_provider "tls" {}

override_module {
  target = module.network.module.vpc
  outputs = {
    vpc_id          = "vpc-0123456789abcdef0"
    vpc_cidr_block  = "10.10.0.0/16"
    private_subnets = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2", "subnet-0ccccccccccccccc3"]
    public_subnets  = ["subnet-0ddddddddddddddd4", "subnet-0eeeeeeeeeeeeeee5", "subnet-0fffffffffffffff6"]
  }
}

override_module {
  target = module.eks_cluster.module.eks
  outputs = {
    cluster_name                       = "genai-env"
    cluster_arn                        = "arn:aws:eks:us-east-1:123456789012:cluster/genai-env"
    cluster_endpoint                   = "https://0123456789ABCDEF0123456789ABCDEF.gr7.us-east-1.eks.amazonaws.com"
    cluster_certificate_authority_data = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=="
    node_security_group_id             = "sg-0123456789abcdef1"
  }
}

override_module {
  target  = module.eks_cluster.module.ebs_csi_pod_identity
  outputs = { iam_role_arn = "arn:aws:iam::123456789012:role/genai-env-ebs-csi" }
}

override_module {
  target  = module.eks_cluster.module.load_balancer_controller_pod_identity
  outputs = { iam_role_arn = "arn:aws:iam::123456789012:role/genai-env-lb-controller" }
}

variables {
  environment        = "dev"
  region             = "us-east-1"
  cluster_admin_arns = ["arn:aws:iam::123456789012:role/PlatformAdministrator"]
  github_repository  = "example-org/genai-platform"
  system_node_group  = { instance_types = ["m6i.large"], capacity_type = "ON_DEMAND", min_size = 2, max_size = 3, desired_size = 2 }
  cpu_node_group     = { instance_types = ["m6i.xlarge"], min_size = 0, max_size = 3, desired_size = 1 }
  gpu_node_group     = { instance_types = ["g6.2xlarge"], min_size = 0, max_size = 1, desired_size = 0 }
}

run "rejects_a_project_with_a_trailing_dash" {
  command = plan
  variables {
    project = "genai-"
  }
  expect_failures = [var.project]
}

run "rejects_a_project_over_12_characters" {
  command = plan
  variables {
    project = "genaiplatform"
  }
  expect_failures = [var.project]
}

run "rejects_an_unknown_environment" {
  command = plan
  variables {
    environment = "qa"
  }
  expect_failures = [var.environment]
}

run "rejects_a_region_name_instead_of_a_code" {
  command = plan
  variables {
    region = "N. Virginia"
  }
  expect_failures = [var.region]
}

run "rejects_an_sso_session_arn_as_cluster_admin" {
  command = plan
  variables {
    cluster_admin_arns = ["arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123/maria"]
  }
  expect_failures = [var.cluster_admin_arns]
}
