# NetworkPolicies (enforced by the VPC CNI's network policy agent, turned on in the platform
# stack): every namespace this stack runs pods in denies all traffic in and out, then allows by
# name the flows its pods need. JupyterHub keeps the chart's own policies. Traffic from a pod's
# own node (kubelet probes) is always allowed by the agent; kubectl port-forward reaches a pod
# from inside it and is not filtered either.

locals {
  # The pods' label that k8s-app and vllm-server set to the workload's name.
  name_label = "app.kubernetes.io/name"

  policy_namespaces = {
    (kubernetes_namespace_v1.genai.metadata[0].name)    = "the apps and the model server"
    (kubernetes_namespace_v1.qdrant.metadata[0].name)   = "Qdrant"
    (kubernetes_namespace_v1.finetune.metadata[0].name) = "fine-tuning Jobs"
  }
  # Namespaces whose pods call AWS APIs (Bedrock, DynamoDB, S3, Secrets Manager, OpenSearch
  # Serverless) or, for fine-tuning, the Hugging Face Hub. Qdrant calls nothing outside.
  aws_client_namespaces = [kubernetes_namespace_v1.genai.metadata[0].name, kubernetes_namespace_v1.finetune.metadata[0].name]

  # The in-cluster services the apps call, and which apps call each: an app calls a service when
  # it declares the setting that locates it (apps/*/app.yaml `settings`).
  called_services = merge(
    {
      qdrant = {
        namespace = kubernetes_namespace_v1.qdrant.metadata[0].name
        pods      = { (local.name_label) = "qdrant" } # the chart's name label on its pods
        port      = local.qdrant_port
        setting   = "QDRANT_URL"
      }
      "shop-rag" = {
        namespace = kubernetes_namespace_v1.genai.metadata[0].name
        pods      = { (local.name_label) = "shop-rag" }
        port      = local.deployments["shop-rag"].service.port
        setting   = "SHOP_RAG_URL"
      }
    },
    local.serve_loyalty ? {
      "loyalty-model" = {
        namespace = kubernetes_namespace_v1.genai.metadata[0].name
        pods      = module.loyalty_model[0].pod_labels
        port      = module.loyalty_model[0].port
        setting   = "OPENAI_BASE_URL"
      }
    } : {},
  )
  service_callers = {
    for service, s in local.called_services : service => sort([
      for name, app in local.deployments : name if contains(try(app.settings, []), s.setting)
    ])
  }

  # Apps behind a load balancer: the NLB (IP targets) sends to the app's port from its own
  # addresses; who may reach the NLB is its security group's business (allowed_cidrs).
  load_balanced_apps = { for name, exposure in local.app_exposure : name => local.deployments[name].service.port if coalesce(exposure, "cluster") != "cluster" }

  # The managed Prometheus scraper (infra/platform) reaches pods from its network interfaces in
  # the cluster's private subnets; the pods it collects admit those subnets on their metrics
  # port only. JupyterHub's hub is admitted by its chart's own policy (values/jupyterhub.yaml.tftpl).
  # CIDRs, not secrets: the data source marks every parameter value sensitive, which a dynamic
  # block's for_each refuses.
  scraper_cidrs = split(",", nonsensitive(data.aws_ssm_parameter.platform["prometheus/scraper-cidrs"].value))
  scraped_pods = merge(
    { qdrant = local.called_services["qdrant"] },
    local.serve_loyalty ? { "loyalty-model" = local.called_services["loyalty-model"] } : {},
  )
}

resource "kubernetes_network_policy_v1" "default_deny" {
  for_each = local.policy_namespaces

  metadata {
    name      = "default-deny"
    namespace = each.key
  }
  spec {
    pod_selector {}
    policy_types = ["Ingress", "Egress"]
  }
}

resource "kubernetes_network_policy_v1" "allow_dns" {
  for_each = local.policy_namespaces

  metadata {
    name      = "allow-dns"
    namespace = each.key
  }
  spec {
    pod_selector {}
    policy_types = ["Egress"]
    egress {
      to {
        namespace_selector {
          match_labels = { "kubernetes.io/metadata.name" = "kube-system" }
        }
        pod_selector {
          match_labels = { "k8s-app" = "kube-dns" }
        }
      }
      ports {
        port     = "53"
        protocol = "UDP"
      }
      ports {
        port     = "53"
        protocol = "TCP"
      }
    }
  }
}

# AWS's endpoints (VPC endpoints, and the public ones through the NAT gateway) have no fixed
# addresses to list: the rule opens any address, on port 443 only.
#trivy:ignore:KUBE-0002
resource "kubernetes_network_policy_v1" "allow_aws_apis" {
  for_each = toset(local.aws_client_namespaces)

  metadata {
    name      = "allow-aws-apis"
    namespace = each.key
  }
  spec {
    pod_selector {}
    policy_types = ["Egress"]
    # HTTPS to the VPC endpoints and, through the NAT gateway, to the other AWS endpoints.
    egress {
      to {
        ip_block {
          cidr = "0.0.0.0/0"
        }
      }
      ports {
        port     = "443"
        protocol = "TCP"
      }
    }
    # The EKS Pod Identity agent on each node hands out the pods' AWS credentials.
    egress {
      to {
        ip_block {
          cidr = "169.254.170.23/32"
        }
      }
      ports {
        port     = "80"
        protocol = "TCP"
      }
    }
  }
}

# Each called service admits its callers on its port ...
resource "kubernetes_network_policy_v1" "allow_callers" {
  for_each = { for service, callers in local.service_callers : service => callers if length(callers) > 0 }

  metadata {
    name      = "allow-${each.key}-from-callers"
    namespace = local.called_services[each.key].namespace
  }
  spec {
    pod_selector {
      match_labels = local.called_services[each.key].pods
    }
    policy_types = ["Ingress"]
    ingress {
      from {
        namespace_selector {
          match_labels = { "kubernetes.io/metadata.name" = kubernetes_namespace_v1.genai.metadata[0].name }
        }
        pod_selector {
          match_expressions {
            key      = local.name_label
            operator = "In"
            values   = each.value
          }
        }
      }
      ports {
        port     = tostring(local.called_services[each.key].port)
        protocol = "TCP"
      }
    }
  }
}

# ... and its callers may send to it.
resource "kubernetes_network_policy_v1" "allow_calls" {
  for_each = { for service, callers in local.service_callers : service => callers if length(callers) > 0 }

  metadata {
    name      = "allow-calls-to-${each.key}"
    namespace = kubernetes_namespace_v1.genai.metadata[0].name
  }
  spec {
    pod_selector {
      match_expressions {
        key      = local.name_label
        operator = "In"
        values   = each.value
      }
    }
    policy_types = ["Egress"]
    egress {
      to {
        namespace_selector {
          match_labels = { "kubernetes.io/metadata.name" = local.called_services[each.key].namespace }
        }
        pod_selector {
          match_labels = local.called_services[each.key].pods
        }
      }
      ports {
        port     = tostring(local.called_services[each.key].port)
        protocol = "TCP"
      }
    }
  }
}

resource "kubernetes_network_policy_v1" "allow_load_balancer" {
  for_each = local.load_balanced_apps

  metadata {
    name      = "allow-load-balancer-to-${each.key}"
    namespace = kubernetes_namespace_v1.genai.metadata[0].name
  }
  spec {
    pod_selector {
      match_labels = { (local.name_label) = each.key }
    }
    policy_types = ["Ingress"]
    ingress {
      from {
        ip_block {
          cidr = "0.0.0.0/0"
        }
      }
      ports {
        port     = tostring(each.value)
        protocol = "TCP"
      }
    }
  }
}

resource "kubernetes_network_policy_v1" "allow_prometheus_scraper" {
  for_each = local.scraped_pods

  metadata {
    name      = "allow-prometheus-scraper-to-${each.key}"
    namespace = each.value.namespace
  }
  spec {
    pod_selector {
      match_labels = each.value.pods
    }
    policy_types = ["Ingress"]
    ingress {
      dynamic "from" {
        for_each = local.scraper_cidrs
        content {
          ip_block {
            cidr = from.value
          }
        }
      }
      ports {
        port     = tostring(each.value.port)
        protocol = "TCP"
      }
    }
  }
}
