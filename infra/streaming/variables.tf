variable "project" {
  description = "Project name; with the environment it prefixes every resource name (<project>-<environment>). The same in every stack."
  type        = string
  default     = "genai"

  # Bucket, role and collection names are built from it. The longest are the collection's data
  # access policy and VPC endpoint, <project>-staging-reviews-data and -vpce, which OpenSearch
  # Serverless limits to 32 characters: 11 for the project.
  validation {
    condition     = can(regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", var.project)) && length(var.project) >= 2 && length(var.project) <= 11
    error_message = "project must be 2-11 lower-case letters and digits in dash-separated words, starting with a letter (the collection's policy names take 32 characters)."
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

variable "stream_mode" {
  description = "Capacity mode of the review stream: ON_DEMAND (pay per GB, scales itself) or PROVISIONED (stream_shards shards, cheaper at a steady rate)."
  type        = string
  default     = "ON_DEMAND"

  validation {
    condition     = contains(["ON_DEMAND", "PROVISIONED"], var.stream_mode)
    error_message = "stream_mode must be ON_DEMAND or PROVISIONED."
  }
}

variable "stream_shards" {
  description = "Shards of a PROVISIONED stream (1 MB/s or 1,000 records/s in each)."
  type        = number
  default     = 1

  validation {
    condition     = var.stream_shards >= 1 && var.stream_shards <= 64 && floor(var.stream_shards) == var.stream_shards
    error_message = "stream_shards must be a whole number from 1 to 64."
  }
}

variable "stream_retention_hours" {
  description = "How long the stream keeps records: the window in which a stopped application can catch up or a replay can start (24 to 8760)."
  type        = number
  default     = 24

  validation {
    condition     = var.stream_retention_hours >= 24 && var.stream_retention_hours <= 8760 && floor(var.stream_retention_hours) == var.stream_retention_hours
    error_message = "stream_retention_hours must be a whole number from 24 to 8760."
  }
}

variable "flink_app_package" {
  description = "Path of the Flink application's zip (dist/review-stream-flink.zip, built by the flink-app workflow: it needs Maven Central for the connector jars). null creates everything but the application."
  type        = string
  default     = null
}

variable "flink_parallelism" {
  description = "Parallelism of the application (KPUs = parallelism / flink_parallelism_per_kpu); auto scaling may raise it."
  type        = number
  default     = 1

  validation {
    condition     = var.flink_parallelism >= 1 && var.flink_parallelism <= 64 && floor(var.flink_parallelism) == var.flink_parallelism
    error_message = "flink_parallelism must be a whole number from 1 to 64."
  }
}

variable "flink_parallelism_per_kpu" {
  description = "Parallel tasks per KPU (1 vCPU, 4 GB): the work is waiting on Bedrock, so several fit in one."
  type        = number
  default     = 1

  validation {
    condition     = var.flink_parallelism_per_kpu >= 1 && var.flink_parallelism_per_kpu <= 8 && floor(var.flink_parallelism_per_kpu) == var.flink_parallelism_per_kpu
    error_message = "flink_parallelism_per_kpu must be a whole number from 1 to 8."
  }
}

variable "flink_auto_scaling" {
  description = "Let Managed Flink raise the parallelism under load (and lower it again)."
  type        = bool
  default     = false
}

variable "async_capacity" {
  description = "Bedrock calls in flight per parallel task (the async operator's capacity). Throughput is about capacity / model latency per task: keep it within the account's Bedrock quota."
  type        = number
  default     = 20

  validation {
    condition     = var.async_capacity >= 1 && var.async_capacity <= 1000 && floor(var.async_capacity) == var.async_capacity
    error_message = "async_capacity must be a whole number from 1 to 1000."
  }
}

variable "async_timeout_seconds" {
  description = "How long one review may take, retries included, before it goes to the dead letters."
  type        = number
  default     = 25

  validation {
    condition     = var.async_timeout_seconds >= 5 && var.async_timeout_seconds <= 300
    error_message = "async_timeout_seconds must be from 5 to 300."
  }
}

variable "max_attempts" {
  description = "Bedrock calls per review (throttling is retried with exponential backoff) before it goes to the dead letters."
  type        = number
  default     = 6

  validation {
    condition     = var.max_attempts >= 1 && var.max_attempts <= 10 && floor(var.max_attempts) == var.max_attempts
    error_message = "max_attempts must be a whole number from 1 to 10."
  }
}

variable "collection_standby_replicas" {
  description = "Standby replicas of the results collection (doubles its minimum OCUs; for prod)."
  type        = bool
  default     = false
}

variable "iterator_age_alarm_minutes" {
  description = "Alarm when the oldest unread record of the stream is older than this: the application is behind or stopped."
  type        = number
  default     = 5

  validation {
    condition     = var.iterator_age_alarm_minutes >= 1
    error_message = "iterator_age_alarm_minutes must be at least 1."
  }
}

variable "log_retention_days" {
  description = "Days the application's and the index manager's logs are kept."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of CloudWatch Logs' retention periods (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, ...)."
  }
}

variable "lambda_packages_dir" {
  description = "Directory of the Lambda zips of scripts/package-lambda (the index manager is vector_index.zip); null is dist/ at the repository root."
  type        = string
  default     = null
}

variable "force_destroy" {
  description = "Let destroy remove the code and archive buckets while they hold objects; null follows the tier (only in development)."
  type        = bool
  default     = null
}

variable "allow_non_restored_state" {
  description = "Let an update start from the latest snapshot although part of its state belongs to no operator of the new code (an operator removed, or its uid changed): that state is dropped, and with an async operator's state go the records it had in flight, which the Kinesis positions do not replay. Keep false, so such an update fails instead; set true only for the apply that deploys such a change, knowing what is dropped, then back to false."
  type        = bool
  default     = false
}

variable "role_propagation_wait" {
  description = "Wait between writing the Flink application's and the archive's role policies and creating (or updating) what uses them: IAM is eventually consistent."
  type        = string
  default     = "30s"

  validation {
    condition     = can(regex("^[0-9]+[smh]$", var.role_propagation_wait))
    error_message = "role_propagation_wait must be a duration such as 30s or 2m."
  }
}
