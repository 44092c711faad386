# An OpenAI-compatible vLLM server for a base model with one LoRA adapter, on the GPU nodes.
# An init container copies the adapter from S3 (and the Hugging Face token from Secrets
# Manager, into memory only) with the pod's own Pod Identity role; vLLM downloads the base
# model from the Hugging Face Hub at start.

locals {
  labels = {
    "app.kubernetes.io/name"       = var.name
    "app.kubernetes.io/component"  = "model-server"
    "app.kubernetes.io/managed-by" = "terraform"
  }
  adapter_dir = "/adapters/${var.adapter.name}"
  # vLLM accepts only these values for --max-lora-rank: the smallest that holds the adapter.
  lora_ranks    = [8, 16, 32, 64, 128, 256, 320, 512]
  max_lora_rank = [for r in local.lora_ranks : r if r >= var.adapter.rank][0]
  args = concat(
    ["--model", var.base_model],
    var.base_model_revision == null ? [] : ["--revision", var.base_model_revision],
    [
      "--host", "0.0.0.0",
      "--port", "8000",
      "--enable-lora",
      "--lora-modules", "${var.adapter.name}=${local.adapter_dir}",
      "--max-lora-rank", tostring(local.max_lora_rank),
      "--max-model-len", tostring(var.max_model_len),
      "--gpu-memory-utilization", tostring(var.gpu_memory_utilization),
    ],
    var.extra_args,
  )
  fetch_script = <<-EOT
    aws s3 cp --recursive --only-show-errors "$ADAPTER_URI" "${local.adapter_dir}"
    test -f "${local.adapter_dir}/adapter_config.json" || { echo "no adapter_config.json under $ADAPTER_URI" >&2; exit 1; }
    if [ -n "$HF_TOKEN_SECRET_ARN" ] && ! aws secretsmanager get-secret-value --secret-id "$HF_TOKEN_SECRET_ARN" --query SecretString --output text > /secrets/hf-token 2> /tmp/token-error; then
      # A secret without a value yet: public base models still load; any other failure stops here.
      grep -q ResourceNotFoundException /tmp/token-error || { cat /tmp/token-error >&2; exit 1; }
      echo "no Hugging Face token stored in $HF_TOKEN_SECRET_ARN: public base models only" >&2
      rm -f /secrets/hf-token
    fi
  EOT
}

module "pod_identity" {
  source = "../pod-identity-role"

  role_name       = var.role_name
  cluster_name    = var.cluster_name
  namespace       = var.namespace
  service_account = kubernetes_service_account_v1.this.metadata[0].name
  policy_json     = var.iam_policy_json
  tags            = var.tags
}

resource "kubernetes_service_account_v1" "this" {
  metadata {
    name      = var.name
    namespace = var.namespace
    labels    = local.labels
  }
  automount_service_account_token = false
}

resource "kubernetes_deployment_v1" "this" {
  # checkov:skip=CKV_K8S_43:vLLM and the AWS CLI are public images pinned by version tag (validated); mirror them into ECR by digest where policy requires.
  # checkov:skip=CKV_K8S_35:No secret reaches an environment variable: the token is a file in a memory-backed volume.
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
    # One GPU per pod and few GPU nodes: a rolling update would wait for a second GPU that
    # may never come. The old pod goes first.
    strategy {
      type = "Recreate"
    }

    template {
      metadata {
        labels = local.labels
      }

      spec {
        service_account_name            = kubernetes_service_account_v1.this.metadata[0].name
        automount_service_account_token = false
        node_selector                   = var.node_selector
        # Long enough for vLLM to finish the requests in flight.
        termination_grace_period_seconds = 60

        security_context {
          run_as_non_root = true
          run_as_user     = 1000
          run_as_group    = 1000
          fs_group        = 1000
          seccomp_profile {
            type = "RuntimeDefault"
          }
        }

        dynamic "toleration" {
          for_each = var.tolerations
          content {
            key      = toleration.value.key
            operator = toleration.value.operator
            value    = try(toleration.value.value, null)
            effect   = toleration.value.effect
          }
        }

        init_container {
          name              = "fetch-adapter"
          image             = var.fetch_image
          image_pull_policy = "Always"
          command           = ["/bin/sh", "-ec", local.fetch_script]

          env {
            name  = "ADAPTER_URI"
            value = var.adapter.s3_uri
          }
          env {
            name  = "HF_TOKEN_SECRET_ARN"
            value = coalesce(var.hf_token_secret_arn, "")
          }
          env {
            name  = "HOME"
            value = "/tmp"
          }

          resources {
            requests = { cpu = "100m", memory = "256Mi" }
            limits   = { cpu = "1", memory = "512Mi" }
          }

          security_context {
            allow_privilege_escalation = false
            read_only_root_filesystem  = true
            privileged                 = false
            capabilities {
              drop = ["ALL"]
            }
          }

          volume_mount {
            name       = "adapters"
            mount_path = "/adapters"
          }
          volume_mount {
            name       = "secrets"
            mount_path = "/secrets"
          }
          volume_mount {
            name       = "tmp"
            mount_path = "/tmp"
          }
        }

        container {
          name              = "vllm"
          image             = var.image
          image_pull_policy = "Always"
          args              = local.args

          port {
            name           = "http"
            container_port = 8000
          }

          # Every cache in writable volumes: the root filesystem is read-only.
          env {
            name  = "HOME"
            value = "/tmp"
          }
          env {
            name  = "HF_HOME"
            value = "/cache/huggingface"
          }
          env {
            name  = "VLLM_CACHE_ROOT"
            value = "/cache/vllm"
          }
          env {
            name  = "HF_TOKEN_PATH"
            value = "/secrets/hf-token"
          }
          env {
            name  = "VLLM_NO_USAGE_STATS"
            value = "1"
          }
          env {
            name  = "DO_NOT_TRACK"
            value = "1"
          }

          resources {
            requests = {
              cpu    = var.resources.cpu
              memory = var.resources.memory
            }
            limits = {
              cpu              = var.resources.cpu
              memory           = var.resources.memory
              "nvidia.com/gpu" = tostring(var.resources.gpus)
            }
          }

          # vLLM listens only once the model and the adapter are loaded, which takes minutes
          # (the base model downloads first): the startup probe gives it startup_timeout_minutes.
          startup_probe {
            http_get {
              path = "/health"
              port = "http"
            }
            period_seconds    = 10
            failure_threshold = var.startup_timeout_minutes * 6
          }

          readiness_probe {
            http_get {
              path = "/health"
              port = "http"
            }
            period_seconds    = 10
            failure_threshold = 3
          }

          liveness_probe {
            http_get {
              path = "/health"
              port = "http"
            }
            period_seconds    = 30
            timeout_seconds   = 5
            failure_threshold = 4
          }

          security_context {
            allow_privilege_escalation = false
            read_only_root_filesystem  = true
            privileged                 = false
            capabilities {
              drop = ["ALL"]
            }
          }

          volume_mount {
            name       = "adapters"
            mount_path = "/adapters"
            read_only  = true
          }
          volume_mount {
            name       = "secrets"
            mount_path = "/secrets"
            read_only  = true
          }
          volume_mount {
            name       = "cache"
            mount_path = "/cache"
          }
          volume_mount {
            name       = "tmp"
            mount_path = "/tmp"
          }
          volume_mount {
            name       = "shm"
            mount_path = "/dev/shm"
          }
        }

        volume {
          name = "adapters"
          empty_dir {
            size_limit = "2Gi"
          }
        }
        volume {
          name = "secrets"
          empty_dir {
            medium     = "Memory"
            size_limit = "1Mi"
          }
        }
        volume {
          name = "cache"
          empty_dir {
            size_limit = "${var.cache_size_gib}Gi"
          }
        }
        volume {
          name = "tmp"
          empty_dir {
            size_limit = "4Gi"
          }
        }
        # PyTorch's inter-process tensors; the container runtime's default /dev/shm is 64 MiB.
        volume {
          name = "shm"
          empty_dir {
            medium     = "Memory"
            size_limit = "${var.shm_size_gib}Gi"
          }
        }
      }
    }
  }

  # No GPU node may exist yet (the spot group can sit at zero): waiting for the rollout would
  # fail the apply after its timeout. The pod starts when a node comes; the smoke check and
  # `kubectl rollout status` tell when it is serving.
  wait_for_rollout = false

  depends_on = [module.pod_identity]
}

resource "kubernetes_service_v1" "this" {
  metadata {
    name      = var.name
    namespace = var.namespace
    labels    = local.labels
  }

  spec {
    type     = "ClusterIP"
    selector = local.labels
    port {
      name        = "http"
      port        = 80
      target_port = "http"
    }
  }
}
