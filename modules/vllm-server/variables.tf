variable "name" {
  description = "Name of the Deployment, Service and service account, e.g. loyalty-model."
  type        = string

  validation {
    condition     = can(regex("^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$", var.name))
    error_message = "name is a DNS label of at most 40 characters starting with a letter."
  }
}

variable "namespace" {
  description = "Namespace to run in."
  type        = string
}

variable "cluster_name" {
  description = "EKS cluster (for the Pod Identity association)."
  type        = string
}

variable "role_name" {
  description = "Name of the server's Pod Identity role."
  type        = string
}

variable "iam_policy_json" {
  description = "The role's policy: read the adapter's S3 prefix (and its KMS key), and the Hugging Face token secret if any. Known at plan time."
  type        = string
}

variable "image" {
  description = "vLLM's OpenAI-compatible server image with an explicit version tag, e.g. vllm/vllm-openai:v0.26.0."
  type        = string

  validation {
    condition     = can(regex(":[^/:]+$|@sha256:[0-9a-f]{64}$", var.image)) && !endswith(var.image, ":latest")
    error_message = "image needs an explicit version tag or digest (not latest): the server must not change under a running deployment."
  }
}

variable "fetch_image" {
  description = "AWS CLI v2 image (2.15 or later: Pod Identity credentials and the CRT transfer client) that copies the base model and the adapters, with an explicit version tag."
  type        = string

  validation {
    condition     = can(regex(":[^/:]+$|@sha256:[0-9a-f]{64}$", var.fetch_image)) && !endswith(var.fetch_image, ":latest")
    error_message = "fetch_image needs an explicit version tag or digest (not latest)."
  }
}

variable "base_model" {
  description = "Hugging Face id of the base model the adapter was trained on, e.g. meta-llama/Meta-Llama-3-8B-Instruct."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][\\w.-]*/[\\w.-]+$", var.base_model))
    error_message = "base_model is a Hugging Face model id, <owner>/<name>."
  }
}

variable "base_model_s3_uri" {
  description = "S3 folder holding the base model's files at one revision (config.json, tokenizer, safetensors), as python -m finetune mirror-base-model writes it: s3://<bucket>/models/<owner>/<name>/<revision>/."
  type        = string

  validation {
    condition     = can(regex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.+/$", var.base_model_s3_uri))
    error_message = "base_model_s3_uri is an S3 folder, s3://<bucket>/<prefix>/ (with the trailing slash)."
  }
}

variable "runs_s3_uri" {
  description = "S3 folder of the fine-tuning runs (s3://<bucket>/finetune/runs/): every run's adapter/ is mirrored into the pod, at start and then every adapter_sync_seconds, for hot-loading."
  type        = string

  validation {
    condition     = can(regex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.+/$", var.runs_s3_uri))
    error_message = "runs_s3_uri is an S3 folder, s3://<bucket>/<prefix>/ (with the trailing slash)."
  }
}

variable "adapter" {
  description = "The LoRA adapter served from the start: the name clients ask for (the OpenAI \"model\"), the run under runs_s3_uri whose adapter/ it is, and its rank (adapter_config.json's r), which also bounds the rank of adapters hot-loaded later."
  type = object({
    name = string
    run  = string
    rank = number
  })

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,62}$", var.adapter.name)) && can(regex("^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$", var.adapter.run))
    error_message = "adapter.name is lower-case letters, digits and dashes; adapter.run is a run name (python -m finetune submit --run)."
  }
  validation {
    condition     = var.adapter.rank >= 1 && var.adapter.rank <= 512 && floor(var.adapter.rank) == var.adapter.rank
    error_message = "adapter.rank must be a whole number from 1 to 512 (vLLM's largest --max-lora-rank)."
  }
}

variable "api_key_secret" {
  description = "Kubernetes Secret (in namespace) and key holding the API key clients send as a bearer token (VLLM_API_KEY)."
  type = object({
    name = string
    key  = string
  })
}

variable "adapter_sync_seconds" {
  description = "How often the sidecar mirrors new runs' adapters from S3 into the pod."
  type        = number
  default     = 30

  validation {
    condition     = var.adapter_sync_seconds >= 10 && var.adapter_sync_seconds <= 600
    error_message = "adapter_sync_seconds must be from 10 to 600."
  }
}

variable "replicas" {
  description = "Number of servers, one GPU each."
  type        = number
  default     = 1

  validation {
    condition     = var.replicas >= 0 && var.replicas <= 8 && floor(var.replicas) == var.replicas
    error_message = "replicas must be a whole number from 0 to 8."
  }
}

variable "resources" {
  description = "CPU, memory and GPUs of each server (requests equal limits)."
  type = object({
    cpu    = string
    memory = string
    gpus   = number
  })
  default = { cpu = "3", memory = "24Gi", gpus = 1 }

  validation {
    condition     = var.resources.gpus >= 1 && floor(var.resources.gpus) == var.resources.gpus
    error_message = "resources.gpus must be a whole number of at least 1."
  }
}

variable "max_model_len" {
  description = "Longest prompt plus answer in tokens; bounds the KV cache vLLM reserves."
  type        = number
  default     = 4096

  validation {
    condition     = var.max_model_len >= 256 && floor(var.max_model_len) == var.max_model_len
    error_message = "max_model_len must be a whole number of at least 256."
  }
}

variable "gpu_memory_utilization" {
  description = "Share of the GPU's memory vLLM may take (weights, activations and KV cache)."
  type        = number
  default     = 0.9

  validation {
    condition     = var.gpu_memory_utilization > 0.1 && var.gpu_memory_utilization <= 0.95
    error_message = "gpu_memory_utilization must be above 0.1 and at most 0.95."
  }
}

variable "extra_args" {
  description = "More vLLM server arguments, e.g. [\"--dtype\", \"bfloat16\"]."
  type        = list(string)
  default     = []
}

variable "node_selector" {
  description = "Labels of the GPU nodes."
  type        = map(string)
}

variable "tolerations" {
  description = "Tolerations for the GPU nodes' taints, in Kubernetes' spelling."
  type = list(object({
    key      = string
    operator = string
    value    = optional(string)
    effect   = string
  }))
}

variable "startup_timeout_minutes" {
  description = "How long the server may take to load the model (already on local disk) before Kubernetes restarts it."
  type        = number
  default     = 30

  validation {
    condition     = var.startup_timeout_minutes >= 5 && var.startup_timeout_minutes <= 120
    error_message = "startup_timeout_minutes must be from 5 to 120."
  }
}

variable "model_size_gib" {
  description = "Node disk for the base model's weights (an 8B model in bf16 takes 16 GB)."
  type        = number
  default     = 40
}

variable "adapters_size_gib" {
  description = "Node disk for the runs' adapters (a rank-16 adapter of an 8B model takes about 50 MB)."
  type        = number
  default     = 10
}

variable "cache_size_gib" {
  description = "Node disk for vLLM's, torch.compile's and Triton's caches."
  type        = number
  default     = 20
}

variable "rollout_timeout_minutes" {
  description = "How long the apply waits for a serving pod: a GPU node from Karpenter, the weights from S3, the model load."
  type        = number
  default     = 40

  validation {
    condition     = var.rollout_timeout_minutes >= 10 && var.rollout_timeout_minutes <= 120
    error_message = "rollout_timeout_minutes must be from 10 to 120."
  }
}

variable "shm_size_gib" {
  description = "Size of /dev/shm (memory)."
  type        = number
  default     = 8
}

variable "permissions_boundary" {
  description = "ARN of the permissions boundary the server's Pod Identity role carries (the platform's, published as /<project>/<environment>/platform/permissions-boundary-arn): the CI apply role creates no role without it. Every stack sets it; null only for a role no CI role manages."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary == null || can(regex("^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:policy/.+$", coalesce(var.permissions_boundary, "-")))
    error_message = "permissions_boundary must be the ARN of a customer managed policy."
  }
}

variable "tags" {
  description = "Tags of the AWS resources (the role and its association)."
  type        = map(string)
  default     = {}
}
