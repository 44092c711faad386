variable "project" {
  description = "Project name; with the environment it prefixes every resource name (<project>-<environment>). The same in every stack."
  type        = string
  default     = "genai"

  # Bucket, role and collection names are built from it; 12 characters keep all of them within
  # their AWS limits.
  validation {
    condition     = can(regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", var.project)) && length(var.project) >= 2 && length(var.project) <= 12
    error_message = "project must be 2-12 lower-case letters and digits in dash-separated words, starting with a letter."
  }
}

variable "environment" {
  description = "Environment name: a folder environments/<environment> whose environment.yaml states its tier and Region (README, Environments and tiers)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,6}$", var.environment)) && fileexists("${path.module}/../../environments/${var.environment}/environment.yaml")
    error_message = "environment must name a folder of environments/ that holds an environment.yaml (README, Adding an environment)."
  }
}

variable "image_tag" {
  description = "Image tag deployed for every app: the git commit SHA the images workflow pushed. scripts/tf sets it to the checked-out commit (TF_VAR_image_tag), so it is never kept in tfvars."
  type        = string
  default     = null

  validation {
    condition     = var.image_tag != null && can(regex("^[0-9a-f]{7,40}$", coalesce(var.image_tag, "-")))
    error_message = "image_tag must be a git commit SHA (scripts/tf passes the checked-out one); \"latest\" is refused."
  }
}

variable "apps" {
  description = "This environment's options of the apps declared in apps/*/app.yaml with runs_on: eks-deployment, by app name, where they differ from the declaration: replicas (default: the declaration's for the environment's tier), exposure (default: the declaration's; cluster: port-forward, internal: an internal NLB, internet: needs allowed_cidrs) and allowed_cidrs (sources allowed through the load balancer)."
  type = map(object({
    replicas      = optional(number)
    exposure      = optional(string)
    allowed_cidrs = optional(list(string))
  }))
  default = {}

  validation {
    condition     = alltrue([for name in keys(var.apps) : contains(keys(local.deployments), name)])
    error_message = "apps takes the names of apps declared with runs_on: eks-deployment in apps/*/app.yaml."
  }
  validation {
    condition     = alltrue([for o in values(var.apps) : o.replicas == null || try(o.replicas >= 1 && o.replicas <= 20 && floor(o.replicas) == o.replicas, false)])
    error_message = "An app's replicas must be a whole number from 1 to 20."
  }
  validation {
    condition     = alltrue([for o in values(var.apps) : o.exposure == null || contains(["cluster", "internal", "internet"], coalesce(o.exposure, "-"))])
    error_message = "An app's exposure must be cluster, internal or internet."
  }
  validation {
    condition     = alltrue([for o in values(var.apps) : coalesce(o.exposure, "cluster") != "internet" || length(coalesce(o.allowed_cidrs, [])) > 0])
    error_message = "An app exposed to the internet needs allowed_cidrs."
  }
}

variable "kb_mode" {
  description = "retrieve: the app retrieves passages and converses with its own prompt (streamed); retrieve_and_generate: Bedrock's RetrieveAndGenerate with its citations and session (adds that permission)."
  type        = string
  default     = "retrieve"

  validation {
    condition     = contains(["retrieve", "retrieve_and_generate"], var.kb_mode)
    error_message = "kb_mode must be retrieve or retrieve_and_generate."
  }
}

variable "kb_number_of_results" {
  description = "Passages retrieved per question."
  type        = number
  default     = 4

  validation {
    condition     = var.kb_number_of_results >= 1 && var.kb_number_of_results <= 20
    error_message = "kb_number_of_results must be 1-20."
  }
}

variable "agent_show_trace" {
  description = "Show the agent's steps (reasoning, action calls) under each answer by default."
  type        = bool
  default     = false
}

# --- JupyterHub --------------------------------------------------------------------------------

variable "jupyterhub_chart_version" {
  description = "Version of the zero-to-jupyterhub chart (https://hub.jupyter.org/helm-chart/): 4.x, which brings JupyterHub 5 and KubeSpawner 7 and needs Kubernetes 1.28 or later."
  type        = string
  default     = "4.4.0"

  validation {
    condition     = can(regex("^4\\.[0-9]+\\.[0-9]+$", var.jupyterhub_chart_version))
    error_message = "jupyterhub_chart_version must be an exact 4.x chart version such as 4.4.0: charts are pinned, and these values are written for 4.x."
  }
}

variable "jupyterhub_authenticator" {
  description = "How people sign in to JupyterHub: \"cognito\" (a user pool of this environment; administrators create the users) or, in a development-tier environment only, \"shared-password\" (one generated password for the users on the allow list, another for its admins)."
  type        = string
  default     = "cognito"

  validation {
    condition     = contains(["cognito", "shared-password"], var.jupyterhub_authenticator)
    error_message = "jupyterhub_authenticator must be cognito or shared-password."
  }
  validation {
    condition     = var.jupyterhub_authenticator != "shared-password" || !module.environment.production
    error_message = "A shared password is for development-tier environments only: production-tier ones sign in with cognito."
  }
}

variable "jupyterhub_allowed_users" {
  description = "Who may sign in to JupyterHub (JupyterHub 5 denies everyone else): e-mail addresses with cognito, user names with a shared password. Lower case: JupyterHub lower-cases the names people type."
  type        = list(string)

  validation {
    condition     = length(var.jupyterhub_allowed_users) > 0 && alltrue([for u in var.jupyterhub_allowed_users : can(regex("^[a-z0-9][a-z0-9._+@-]{0,127}$", u))])
    error_message = "jupyterhub_allowed_users needs at least one name: lower-case letters, digits, ., _, +, @ and -, starting with a letter or digit, at most 128 characters."
  }
  # Cognito signs users in by e-mail, and the hub takes that claim as the user name.
  validation {
    condition     = var.jupyterhub_authenticator != "cognito" || alltrue([for u in var.jupyterhub_allowed_users : can(regex("^[^@]+@[^@]+\\.[a-z]+$", u))])
    error_message = "With cognito, jupyterhub_allowed_users takes e-mail addresses (the name the hub sees)."
  }
}

variable "jupyterhub_admin_users" {
  description = "JupyterHub administrators (the admin panel, others' servers); each must also be on jupyterhub_allowed_users."
  type        = list(string)
  default     = []

  validation {
    condition     = length(setsubtract(var.jupyterhub_admin_users, var.jupyterhub_allowed_users)) == 0
    error_message = "Every name in jupyterhub_admin_users must also be in jupyterhub_allowed_users, the one list of who may sign in."
  }
}

variable "jupyterhub_url" {
  description = "The URL people open JupyterHub at, without a path: http://localhost:<port> through kubectl port-forward (the default), or the https:// name of the internal load balancer. Cognito's sign-in returns to <url>/hub/oauth_callback."
  type        = string
  default     = "http://localhost:8000"

  # Cognito accepts an http callback for localhost only.
  validation {
    condition     = can(regex("^(https://[a-z0-9]([a-z0-9.-]*[a-z0-9])?|http://localhost)(:[0-9]{1,5})?$", var.jupyterhub_url))
    error_message = "jupyterhub_url must be http://localhost[:port] or https://<host>[:port], without a path or trailing slash (Cognito accepts http for localhost only)."
  }
}

variable "jupyterhub_exposure" {
  description = "How JupyterHub is reached: \"cluster\" (ClusterIP: kubectl port-forward) or \"internal\" (an internal NLB that ends TLS with jupyterhub_certificate_arn at jupyterhub_url). Never from the internet."
  type        = string
  default     = "cluster"

  validation {
    condition     = contains(["cluster", "internal"], var.jupyterhub_exposure)
    error_message = "jupyterhub_exposure must be cluster or internal."
  }
  validation {
    condition     = var.jupyterhub_exposure != "internal" || (startswith(var.jupyterhub_url, "https://") && var.jupyterhub_certificate_arn != null)
    error_message = "jupyterhub_exposure = internal needs an https:// jupyterhub_url and the ACM certificate for it in jupyterhub_certificate_arn."
  }
}

variable "jupyterhub_certificate_arn" {
  description = "ACM certificate of jupyterhub_url's host, for the internal load balancer (jupyterhub_exposure = internal)."
  type        = string
  default     = null

  validation {
    condition     = var.jupyterhub_certificate_arn == null || can(regex("^arn:aws(-cn|-us-gov)?:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]{36}$", coalesce(var.jupyterhub_certificate_arn, "-")))
    error_message = "jupyterhub_certificate_arn must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)."
  }
}

variable "jupyterhub_deletion_protection" {
  description = "Protect the Cognito user pool (the JupyterHub users) from deletion. Default: the tier's rule (on in production, off in development)."
  type        = bool
  default     = null
}

variable "jupyterhub_idle_timeout_minutes" {
  description = "Minutes without activity after which a notebook server is stopped (its home volume stays)."
  type        = number
  default     = 60

  validation {
    condition     = var.jupyterhub_idle_timeout_minutes >= 10 && var.jupyterhub_idle_timeout_minutes <= 1440 && floor(var.jupyterhub_idle_timeout_minutes) == var.jupyterhub_idle_timeout_minutes
    error_message = "jupyterhub_idle_timeout_minutes must be a whole number from 10 to 1440 (a day)."
  }
}

variable "notebook_home_size_gib" {
  description = "Size of each user's home volume (gp3), in GiB; it can grow later (the class allows expansion), not shrink."
  type        = number
  default     = 20

  validation {
    condition     = var.notebook_home_size_gib >= 1 && var.notebook_home_size_gib <= 1024 && floor(var.notebook_home_size_gib) == var.notebook_home_size_gib
    error_message = "notebook_home_size_gib must be a whole number of GiB from 1 to 1024."
  }
}

variable "notebook_images" {
  description = "Images of the two profiles: cpu (\"CPU\") and gpu (\"Data science (GPU)\", CUDA 12), each with an explicit tag."
  type = object({
    cpu = string
    gpu = string
  })
  default = {
    cpu = "quay.io/jupyter/scipy-notebook:2026-08-03"
    gpu = "quay.io/jupyter/pytorch-notebook:cuda12-2026-08-03"
  }

  validation {
    condition     = alltrue([for i in [var.notebook_images.cpu, var.notebook_images.gpu] : can(regex(":[^/]+$|@sha256:", i)) && !endswith(i, ":latest")])
    error_message = "notebook_images need an explicit tag or digest (not :latest), so every user gets the same image."
  }
}

variable "notebook_read_prefixes" {
  description = "Prefixes of the model-assets bucket every notebook may read (besides its own notebooks/<pod name>/, read-write)."
  type        = list(string)
  default     = ["datasets/", "catalog/"]

  validation {
    condition     = alltrue([for p in var.notebook_read_prefixes : can(regex("^[a-z0-9][a-z0-9._-]*/$", p)) && !startswith(p, "notebooks")])
    error_message = "notebook_read_prefixes are top-level prefixes such as datasets/ (letters, digits, ., _, -, ending with /), without wildcards; notebooks/ stays private to each notebook."
  }
}

# --- Qdrant ------------------------------------------------------------------------------------

variable "qdrant_chart_version" {
  description = "Version of the qdrant Helm chart (https://qdrant.github.io/qdrant-helm); it also sets Qdrant's version. A snapshot restores only onto the same or the next minor version."
  type        = string
  default     = "1.19.0"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.qdrant_chart_version))
    error_message = "qdrant_chart_version must be an exact chart version such as 1.19.0: charts are pinned."
  }
}

variable "qdrant_storage_gib" {
  description = "Size of Qdrant's storage volume (gp3), in GiB."
  type        = number
  default     = 10

  validation {
    condition     = var.qdrant_storage_gib >= 1 && var.qdrant_storage_gib <= 16384 && floor(var.qdrant_storage_gib) == var.qdrant_storage_gib
    error_message = "qdrant_storage_gib must be a whole number of GiB from 1 to 16384 (a gp3 volume's limit)."
  }
}

variable "qdrant_snapshot_storage_gib" {
  description = "Size of Qdrant's snapshot volume (gp3), in GiB: at least the storage volume's, so that a full snapshot fits."
  type        = number
  default     = 10

  validation {
    condition     = var.qdrant_snapshot_storage_gib >= var.qdrant_storage_gib && var.qdrant_snapshot_storage_gib <= 16384 && floor(var.qdrant_snapshot_storage_gib) == var.qdrant_snapshot_storage_gib
    error_message = "qdrant_snapshot_storage_gib must be a whole number of GiB, at least qdrant_storage_gib and at most 16384."
  }
}

variable "qdrant_memory" {
  description = "Memory request and limit of the Qdrant pod (a Kubernetes quantity such as 2Gi)."
  type        = string
  default     = "2Gi"

  validation {
    condition     = can(regex("^[1-9][0-9]*(Mi|Gi)$", var.qdrant_memory))
    error_message = "qdrant_memory must be a whole number of Mi or Gi, such as 2Gi."
  }
}

# --- Shopping assistant and MyRetail chatbot ---------------------------------------------------

variable "shop_collection" {
  description = "Qdrant collection of the product catalog."
  type        = string
  default     = "myretail-products"

  # The shopping API's rule (SHOP_COLLECTION), within Qdrant's: it goes into URL paths.
  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,255}$", var.shop_collection))
    error_message = "shop_collection must be 1-255 letters, digits, _ and -."
  }
}

variable "shop_history_ttl_hours" {
  description = "Hours a shopping session's history is kept before DynamoDB expires it."
  type        = number
  default     = 24

  validation {
    condition     = var.shop_history_ttl_hours >= 1 && var.shop_history_ttl_hours <= 720 && floor(var.shop_history_ttl_hours) == var.shop_history_ttl_hours
    error_message = "shop_history_ttl_hours must be a whole number of hours from 1 to 720 (30 days)."
  }
}

variable "shop_history_deletion_protection" {
  description = "Protect the chat-history table from deletion. Default: the tier's rule (on in production, off in development)."
  type        = bool
  default     = null
}

variable "loyalty_model" {
  description = "What answers the chatbot's Loyalty program tab: provider \"bedrock\" (the first model of chat_models, under the guardrail), \"served\" (the fine-tuned model this stack serves, see loyalty_adapter) or \"openai\" (any other OpenAI-compatible server, at openai_base_url, serving openai_model)."
  type = object({
    provider        = string
    openai_base_url = optional(string)
    openai_model    = optional(string)
  })
  default = { provider = "bedrock" }

  validation {
    condition     = contains(["bedrock", "served", "openai"], var.loyalty_model.provider)
    error_message = "loyalty_model.provider must be bedrock, served or openai."
  }
  validation {
    condition     = var.loyalty_model.provider != "served" || var.loyalty_adapter != null
    error_message = "loyalty_model.provider = served needs loyalty_adapter: the fine-tuning run whose adapter this stack serves."
  }
  validation {
    condition     = var.loyalty_model.provider != "openai" || (can(regex("^https?://[^\\s/]+(/\\S*)?$", var.loyalty_model.openai_base_url)) && try(length(var.loyalty_model.openai_model) > 0, false))
    error_message = "loyalty_model with provider openai needs openai_base_url (http(s)://host[:port]/path, e.g. http://llama3-serving.genai.svc.cluster.local/v1) and openai_model."
  }
}

variable "loyalty_adapter" {
  description = "The fine-tuning run to serve with vLLM on the GPU nodes (finetune/runs/<run>/adapter/ of the model-assets bucket): the name clients ask for, and optional overrides of the base model and revision its manifest.json records. null serves nothing."
  type = object({
    run                 = string
    served_name         = optional(string, "loyalty")
    base_model          = optional(string)
    base_model_revision = optional(string)
    replicas            = optional(number, 1)
    max_model_len       = optional(number, 4096)
  })
  default = null

  validation {
    condition     = var.loyalty_adapter == null || can(regex("^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$", var.loyalty_adapter.run))
    error_message = "loyalty_adapter.run is a run name as python -m finetune submit --run takes it: lower-case letters, digits and dashes."
  }
}

variable "finetune_submitter_arns" {
  description = "IAM roles or users (data scientists, a notebook role) that may submit, watch and cancel fine-tuning Jobs: Kubernetes edit rights in the finetune namespace only. Cluster admins need not be listed (an EKS access entry exists once per principal)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.finetune_submitter_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/.+$", arn))])
    error_message = "finetune_submitter_arns takes IAM role or user ARNs (arn:aws:iam::<account>:role/<name>); for an SSO user, the role of their permission set."
  }
}

variable "vllm_image" {
  description = "vLLM's OpenAI-compatible server image for the fine-tuned model, with an explicit version tag."
  type        = string
  default     = "vllm/vllm-openai:v0.26.0"
}

variable "aws_cli_image" {
  description = "AWS CLI v2 image (2.15 or later: Pod Identity and the CRT transfer client) that copies the base model and the adapters into the model server's pod."
  type        = string
  default     = "public.ecr.aws/aws-cli/aws-cli:2.31.0"
}
