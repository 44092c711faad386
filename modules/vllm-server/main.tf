# An OpenAI-compatible vLLM server for a base model and its LoRA adapters, on the GPU nodes.
# An init container copies the base model's weights (mirrored once into S3 by
# `python -m finetune mirror-base-model`) and the fine-tuning runs' adapters from S3 with the
# pod's own Pod Identity role: no Hub download through the NAT at each start. A sidecar keeps
# the adapters in sync, so `python -m finetune serve` can hot-load a new run without a restart.

locals {
  labels = {
    "app.kubernetes.io/name"       = var.name
    "app.kubernetes.io/component"  = "model-server"
    "app.kubernetes.io/managed-by" = "terraform"
  }
  # The server's port: its pods' NetworkPolicies (the caller's stack) read it from the output.
  port      = 8000
  model_dir = "/models/base"
  runs_dir  = "/adapters/runs"
  # vLLM accepts only these values for --max-lora-rank: the smallest that holds the adapter.
  lora_ranks    = [8, 16, 32, 64, 128, 256, 320, 512]
  max_lora_rank = [for r in local.lora_ranks : r if r >= var.adapter.rank][0]
  args = concat(
    # Clients ask for the base model by its Hub id, as if it came from the Hub.
    ["--model", local.model_dir, "--served-model-name", var.base_model],
    [
      "--host", "0.0.0.0",
      "--port", tostring(local.port),
      "--enable-lora",
      "--lora-modules", "${var.adapter.name}=${local.runs_dir}/${var.adapter.run}/adapter",
      "--max-lora-rank", tostring(local.max_lora_rank),
      "--max-model-len", tostring(var.max_model_len),
      "--gpu-memory-utilization", tostring(var.gpu_memory_utilization),
    ],
    var.extra_args,
  )
  # The AWS CLI's CRT transfer client downloads one object in many parallel ranged parts,
  # which is what a few multi-gigabyte safetensors files need (measured: benchmarks/model_load).
  aws_config   = "[default]\ns3 =\n  preferred_transfer_client = crt\n"
  sync_runs    = "aws s3 sync --only-show-errors --exclude '*' --include '*/adapter/*' \"$RUNS_URI\" ${local.runs_dir}"
  fetch_script = <<-EOT
    printf '${local.aws_config}' > "$AWS_CONFIG_FILE"
    aws s3 sync --only-show-errors "$BASE_MODEL_URI" ${local.model_dir}
    test -f ${local.model_dir}/config.json || { echo "no config.json under $BASE_MODEL_URI: mirror the base model first (python -m finetune mirror-base-model)" >&2; exit 1; }
    ${local.sync_runs}
    test -f ${local.runs_dir}/${var.adapter.run}/adapter/adapter_config.json || { echo "no adapter_config.json under $RUNS_URI${var.adapter.run}/adapter/" >&2; exit 1; }
  EOT
  # New runs appear under the runs prefix while the server runs; a failed sync is retried.
  sync_script = <<-EOT
    printf '${local.aws_config}' > "$AWS_CONFIG_FILE"
    while true; do
      sleep ${var.adapter_sync_seconds}
      ${local.sync_runs} || echo "adapter sync failed; retrying in ${var.adapter_sync_seconds}s" >&2
    done
  EOT
  fetch_env = {
    BASE_MODEL_URI  = var.base_model_s3_uri
    RUNS_URI        = var.runs_s3_uri
    HOME            = "/tmp"
    AWS_CONFIG_FILE = "/tmp/aws-config"
  }
  # uid 1000 has no passwd entry in the image: getpass.getuser() (torch.compile, triton) reads
  # these variables first. Every cache is in a writable volume: the root filesystem is read-only.
  server_env = {
    HOME                    = "/tmp"
    USER                    = "vllm"
    LOGNAME                 = "vllm"
    XDG_CACHE_HOME          = "/cache"
    HF_HOME                 = "/cache/huggingface"
    HF_HUB_OFFLINE          = "1"
    VLLM_CACHE_ROOT         = "/cache/vllm"
    TORCHINDUCTOR_CACHE_DIR = "/cache/torchinductor"
    TRITON_CACHE_DIR        = "/cache/triton"
    # POST /v1/load_lora_adapter and /v1/unload_lora_adapter (python -m finetune serve).
    VLLM_ALLOW_RUNTIME_LORA_UPDATING = "True"
    VLLM_NO_USAGE_STATS              = "1"
    DO_NOT_TRACK                     = "1"
  }
}

module "pod_identity" {
  source = "../pod-identity-role"

  permissions_boundary = var.permissions_boundary

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
  # checkov:skip=CKV_K8S_14:image and fetch_image are variables whose validation requires an explicit version tag (not latest); checkov cannot resolve them in the module alone.
  # checkov:skip=CKV_K8S_43:vLLM and the AWS CLI are public images pinned by version tag (validated); mirror them into ECR by digest where policy requires.
  # checkov:skip=CKV_K8S_35:vLLM reads its API key only from --api-key (visible in the pod spec) or VLLM_API_KEY; the variable comes from a Secret.
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
          name              = "fetch-model"
          image             = var.fetch_image
          image_pull_policy = "Always"
          command           = ["/bin/sh", "-ec", local.fetch_script]

          dynamic "env" {
            for_each = local.fetch_env
            content {
              name  = env.key
              value = env.value
            }
          }

          # The CRT client's parallel parts are buffered in memory.
          resources {
            requests = { cpu = "1", memory = "1Gi" }
            limits   = { cpu = "4", memory = "4Gi" }
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
            name       = "models"
            mount_path = "/models"
          }
          volume_mount {
            name       = "adapters"
            mount_path = "/adapters"
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
            container_port = local.port
          }

          dynamic "env" {
            for_each = local.server_env
            content {
              name  = env.key
              value = env.value
            }
          }
          # vLLM takes its key only from --api-key or this variable; /health stays open for probes.
          env {
            name = "VLLM_API_KEY"
            value_from {
              secret_key_ref {
                name = var.api_key_secret.name
                key  = var.api_key_secret.key
              }
            }
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

          # vLLM listens only once the model and the adapter are loaded: the startup probe gives
          # it startup_timeout_minutes (the weights are on local disk by then).
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
            name       = "models"
            mount_path = "/models"
            read_only  = true
          }
          volume_mount {
            name       = "adapters"
            mount_path = "/adapters"
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

        container {
          name              = "sync-adapters"
          image             = var.fetch_image
          image_pull_policy = "Always"
          command           = ["/bin/sh", "-ec", local.sync_script]

          dynamic "env" {
            for_each = local.fetch_env
            content {
              name  = env.key
              value = env.value
            }
          }

          resources {
            requests = { cpu = "50m", memory = "256Mi" }
            limits   = { cpu = "1", memory = "1Gi" }
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
            name       = "sync-tmp"
            mount_path = "/tmp"
          }
        }

        volume {
          name = "models"
          empty_dir {
            size_limit = "${var.model_size_gib}Gi"
          }
        }
        volume {
          name = "adapters"
          empty_dir {
            size_limit = "${var.adapters_size_gib}Gi"
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
        volume {
          name = "sync-tmp"
          empty_dir {
            size_limit = "1Gi"
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

  # Karpenter brings a GPU node (about 5 minutes) and the weights load from S3: the apply waits
  # for a serving pod, so a server that cannot start (GPU limit reached, no base model in S3)
  # fails the apply instead of hiding.
  wait_for_rollout = true
  timeouts {
    create = "${var.rollout_timeout_minutes}m"
    update = "${var.rollout_timeout_minutes}m"
  }

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
