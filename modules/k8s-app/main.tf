locals {
  labels = {
    "app.kubernetes.io/name"       = var.name
    "app.kubernetes.io/managed-by" = "terraform"
  }
  node_selector = merge(
    var.gpu ? { "nvidia.com/gpu.present" = "true" } : {},
    var.node_selector,
  )
  gpu_limit = var.gpu ? { "nvidia.com/gpu" = "1" } : {}
  load_balancer_annotations = var.exposure == "cluster" ? {} : {
    "service.beta.kubernetes.io/aws-load-balancer-type"            = "external"
    "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type" = "ip"
    "service.beta.kubernetes.io/aws-load-balancer-scheme"          = var.exposure == "internet" ? "internet-facing" : "internal"
  }
}

resource "kubernetes_service_account_v1" "this" {
  metadata {
    name      = var.name
    namespace = var.namespace
    labels    = local.labels
  }
  automount_service_account_token = false
}

resource "kubernetes_config_map_v1" "this" {
  metadata {
    name      = var.name
    namespace = var.namespace
    labels    = local.labels
  }
  data = var.env
}

resource "kubernetes_deployment_v1" "this" {
  # checkov:skip=CKV_K8S_43:Images are referenced by git-SHA tags in IMMUTABLE ECR repositories, so a tag cannot be repointed.
  # checkov:skip=CKV_K8S_35:The apps take every setting from environment variables (pydantic-settings); secret_env passes an in-cluster credential by Secret reference, never through the ConfigMap.
  metadata {
    name      = var.name
    namespace = var.namespace
    labels    = local.labels
  }

  spec {
    replicas = var.replicas
    selector {
      match_labels = local.labels
    }

    template {
      metadata {
        labels = local.labels
        # A changed ConfigMap rolls the pods, which read env only at start.
        annotations = {
          "genai.platform/config-hash" = sha256(jsonencode(var.env))
        }
      }

      spec {
        service_account_name            = kubernetes_service_account_v1.this.metadata[0].name
        automount_service_account_token = false
        node_selector                   = local.node_selector

        security_context {
          run_as_non_root = true
          run_as_user     = 10001
          run_as_group    = 10001
          fs_group        = 10001
          seccomp_profile {
            type = "RuntimeDefault"
          }
        }

        dynamic "toleration" {
          for_each = var.gpu ? [1] : []
          content {
            key      = "nvidia.com/gpu"
            operator = "Equal"
            value    = "true"
            effect   = "NoSchedule"
          }
        }

        container {
          name              = var.name
          image             = var.image
          image_pull_policy = "Always"

          port {
            name           = "http"
            container_port = var.port
          }

          env_from {
            config_map_ref {
              name = kubernetes_config_map_v1.this.metadata[0].name
            }
          }

          dynamic "env" {
            for_each = var.secret_env
            content {
              name = env.key
              value_from {
                secret_key_ref {
                  name = env.value.secret
                  key  = env.value.key
                }
              }
            }
          }

          resources {
            requests = {
              cpu    = var.resources.requests_cpu
              memory = var.resources.requests_memory
            }
            limits = merge({
              cpu    = var.resources.limits_cpu
              memory = var.resources.limits_memory
            }, local.gpu_limit)
          }

          readiness_probe {
            http_get {
              path = var.readiness_path
              port = "http"
            }
            period_seconds    = 10
            failure_threshold = 3
          }

          liveness_probe {
            http_get {
              path = coalesce(var.liveness_path, var.readiness_path)
              port = "http"
            }
            initial_delay_seconds = 20
            period_seconds        = 20
            failure_threshold     = 3
          }

          security_context {
            allow_privilege_escalation = false
            read_only_root_filesystem  = true
            privileged                 = false
            capabilities {
              drop = ["ALL"]
            }
          }

          # The root filesystem is read-only; apps write scratch files here only.
          volume_mount {
            name       = "tmp"
            mount_path = "/tmp"
          }
        }

        volume {
          name = "tmp"
          empty_dir {
            size_limit = "256Mi"
          }
        }
      }
    }
  }

  # Pods must not start before their AWS identity exists.
  depends_on = [module.pod_identity]
}

resource "kubernetes_service_v1" "this" {
  metadata {
    name        = var.name
    namespace   = var.namespace
    labels      = local.labels
    annotations = local.load_balancer_annotations
  }

  spec {
    type = var.exposure == "cluster" ? "ClusterIP" : "LoadBalancer"
    # The load balancer controller's webhook sets this class on every new LoadBalancer Service;
    # stating it keeps the next plan from replacing the Service (and its NLB) to remove it.
    load_balancer_class         = var.exposure == "cluster" ? null : "service.k8s.aws/nlb"
    selector                    = local.labels
    load_balancer_source_ranges = var.exposure == "cluster" ? null : var.allowed_cidrs
    port {
      name        = "http"
      port        = 80
      target_port = "http"
    }
  }

  wait_for_load_balancer = var.exposure != "cluster"
}

resource "kubernetes_pod_disruption_budget_v1" "this" {
  metadata {
    name      = var.name
    namespace = var.namespace
    labels    = local.labels
  }
  spec {
    max_unavailable = "1"
    selector {
      match_labels = local.labels
    }
  }
}
