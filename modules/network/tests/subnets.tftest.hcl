# The subnet layout for every allowed az_count and VPC size: one private and one public subnet
# per zone, every subnet inside the VPC, no two overlapping (checked by ./subnet-layout).

mock_provider "aws" {
  override_during = plan
}

override_data {
  target = data.aws_availability_zones.available
  values = { names = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e"] }
}

override_module {
  target = module.vpc
}

variables {
  permissions_boundary = "arn:aws:iam::123456789012:policy/genai-dev-permissions-boundary"
  name                 = "genai-dev"
  cluster_name         = "genai-dev"
}

run "sizes_in_a_16" {
  command = plan
  variables {
    cidr     = "10.10.0.0/16"
    az_count = 2
  }

  assert {
    condition     = output.private_subnet_cidrs == ["10.10.0.0/20", "10.10.16.0/20"] && output.public_subnet_cidrs == ["10.10.64.0/24", "10.10.65.0/24"]
    error_message = "A /16 gets /20 private and /24 public subnets: ${jsonencode(output.private_subnet_cidrs)} ${jsonencode(output.public_subnet_cidrs)}"
  }
  assert {
    condition     = output.azs == tolist(["us-east-1a", "us-east-1b"])
    error_message = "The first az_count zones are used."
  }
}

run "two_zones_in_a_16" {
  command = plan
  variables {
    cidr     = "10.10.0.0/16"
    az_count = 2
  }

  assert {
    condition     = length(output.private_subnet_cidrs) == 2 && length(output.public_subnet_cidrs) == 2
    error_message = "One private and one public subnet per zone."
  }
}

run "two_zones_in_a_16_layout" {
  command = plan
  module {
    source = "./tests/subnet-layout"
  }
  variables {
    vpc_cidr     = "10.10.0.0/16"
    subnet_cidrs = concat(run.two_zones_in_a_16.private_subnet_cidrs, run.two_zones_in_a_16.public_subnet_cidrs)
  }

  assert {
    condition     = output.overlapping == [] && output.outside == []
    error_message = "Overlapping: ${jsonencode(output.overlapping)}; outside the VPC: ${jsonencode(output.outside)}"
  }
}

run "three_zones_in_a_16" {
  command = plan
  variables {
    cidr     = "10.20.0.0/16"
    az_count = 3
  }

  assert {
    condition     = length(output.private_subnet_cidrs) == 3 && length(output.public_subnet_cidrs) == 3
    error_message = "One private and one public subnet per zone."
  }
}

run "three_zones_in_a_16_layout" {
  command = plan
  module {
    source = "./tests/subnet-layout"
  }
  variables {
    vpc_cidr     = "10.20.0.0/16"
    subnet_cidrs = concat(run.three_zones_in_a_16.private_subnet_cidrs, run.three_zones_in_a_16.public_subnet_cidrs)
  }

  assert {
    condition     = output.overlapping == [] && output.outside == []
    error_message = "Overlapping: ${jsonencode(output.overlapping)}; outside the VPC: ${jsonencode(output.outside)}"
  }
}

run "four_zones_in_a_16" {
  command = plan
  variables {
    cidr     = "10.30.0.0/16"
    az_count = 4
  }

  assert {
    condition     = length(output.private_subnet_cidrs) == 4 && length(output.public_subnet_cidrs) == 4
    error_message = "One private and one public subnet per zone."
  }
}

run "four_zones_in_a_16_layout" {
  command = plan
  module {
    source = "./tests/subnet-layout"
  }
  variables {
    vpc_cidr     = "10.30.0.0/16"
    subnet_cidrs = concat(run.four_zones_in_a_16.private_subnet_cidrs, run.four_zones_in_a_16.public_subnet_cidrs)
  }

  assert {
    condition     = output.overlapping == [] && output.outside == []
    error_message = "Overlapping: ${jsonencode(output.overlapping)}; outside the VPC: ${jsonencode(output.outside)}"
  }
}

run "two_zones_in_a_20" {
  command = plan
  variables {
    cidr     = "172.16.32.0/20"
    az_count = 2
  }

  assert {
    condition     = length(output.private_subnet_cidrs) == 2 && length(output.public_subnet_cidrs) == 2
    error_message = "One private and one public subnet per zone."
  }
}

run "two_zones_in_a_20_layout" {
  command = plan
  module {
    source = "./tests/subnet-layout"
  }
  variables {
    vpc_cidr     = "172.16.32.0/20"
    subnet_cidrs = concat(run.two_zones_in_a_20.private_subnet_cidrs, run.two_zones_in_a_20.public_subnet_cidrs)
  }

  assert {
    condition     = output.overlapping == [] && output.outside == []
    error_message = "Overlapping: ${jsonencode(output.overlapping)}; outside the VPC: ${jsonencode(output.outside)}"
  }
}

run "three_zones_in_a_20" {
  command = plan
  variables {
    cidr     = "172.16.32.0/20"
    az_count = 3
  }

  assert {
    condition     = length(output.private_subnet_cidrs) == 3 && length(output.public_subnet_cidrs) == 3
    error_message = "One private and one public subnet per zone."
  }
}

run "three_zones_in_a_20_layout" {
  command = plan
  module {
    source = "./tests/subnet-layout"
  }
  variables {
    vpc_cidr     = "172.16.32.0/20"
    subnet_cidrs = concat(run.three_zones_in_a_20.private_subnet_cidrs, run.three_zones_in_a_20.public_subnet_cidrs)
  }

  assert {
    condition     = output.overlapping == [] && output.outside == []
    error_message = "Overlapping: ${jsonencode(output.overlapping)}; outside the VPC: ${jsonencode(output.outside)}"
  }
}

run "four_zones_in_a_20" {
  command = plan
  variables {
    cidr     = "192.168.16.0/20"
    az_count = 4
  }

  assert {
    condition     = length(output.private_subnet_cidrs) == 4 && length(output.public_subnet_cidrs) == 4
    error_message = "One private and one public subnet per zone."
  }
}

run "four_zones_in_a_20_layout" {
  command = plan
  module {
    source = "./tests/subnet-layout"
  }
  variables {
    vpc_cidr     = "192.168.16.0/20"
    subnet_cidrs = concat(run.four_zones_in_a_20.private_subnet_cidrs, run.four_zones_in_a_20.public_subnet_cidrs)
  }

  assert {
    condition     = output.overlapping == [] && output.outside == []
    error_message = "Overlapping: ${jsonencode(output.overlapping)}; outside the VPC: ${jsonencode(output.outside)}"
  }
}

run "the_layout_check_sees_an_overlap" {
  command = plan
  module {
    source = "./tests/subnet-layout"
  }
  variables {
    vpc_cidr     = "10.0.0.0/16"
    subnet_cidrs = ["10.0.48.0/20", "10.0.49.0/24", "10.0.64.0/24", "10.1.0.0/24"]
  }

  assert {
    condition     = output.overlapping == [["10.0.48.0/20", "10.0.49.0/24"]] && output.outside == ["10.1.0.0/24"]
    error_message = "The checker missed a case: ${jsonencode(output.overlapping)} ${jsonencode(output.outside)}"
  }
}
