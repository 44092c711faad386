variable "project" {
  description = "Project name; with the environment it prefixes every resource name (<project>-<environment>). The same in every stack."
  type        = string
  default     = "genai"

  # Bucket, role and environment names are built from it; 12 characters keep all of them within
  # their AWS limits (the MWAA environment <project>-<env>-airflow within 80, its bucket within 63).
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

# --- Amazon MWAA ---------------------------------------------------------------------------

variable "mwaa_enabled" {
  description = "Run the Amazon MWAA environment. It is billed every hour it exists, whether DAGs run or not (US East, N. Virginia: mw1.small $0.49/h, about $358 a month; README of this stack), so a development-tier environment leaves it off (its tfvars): the work bucket, the Bedrock service roles, the DAGs bucket and the Airflow Variables exist either way, and the DAGs can run from a laptop (dag.test()) against them."
  type        = bool
  default     = true
}

variable "environment_class" {
  description = "MWAA environment class: the size of the scheduler, worker and web server containers and of the metadata database. Per environment-hour in US East (N. Virginia): mw1.small $0.49 (5 concurrent tasks per worker), mw1.medium $0.74 (10), mw1.large $0.99 (20); mw1.micro, mw1.xlarge and mw1.2xlarge are priced on the MWAA pricing page. The five DAGs mostly wait on Bedrock jobs: mw1.small is enough."
  type        = string
  default     = "mw1.small"

  validation {
    condition     = contains(["mw1.micro", "mw1.small", "mw1.medium", "mw1.large", "mw1.xlarge", "mw1.2xlarge"], var.environment_class)
    error_message = "environment_class must be one of mw1.micro, mw1.small, mw1.medium, mw1.large, mw1.xlarge, mw1.2xlarge."
  }
}

variable "min_workers" {
  description = "Workers that always run (1-25). The environment price includes one; each further worker is billed by the hour (mw1.small $0.055, mw1.medium $0.11, mw1.large $0.22 in US East)."
  type        = number
  default     = 1

  validation {
    condition     = var.min_workers >= 1 && var.min_workers <= 25 && floor(var.min_workers) == var.min_workers
    error_message = "min_workers must be a whole number from 1 to 25."
  }
}

variable "max_workers" {
  description = "Workers MWAA may scale out to under load (1-25, at least min_workers; mw1.micro runs exactly one). Workers above the included one are billed by the hour while they run."
  type        = number
  default     = 2

  validation {
    condition     = var.max_workers >= 1 && var.max_workers <= 25 && floor(var.max_workers) == var.max_workers && var.max_workers >= var.min_workers && (var.environment_class != "mw1.micro" || (var.max_workers == 1 && var.min_workers == 1))
    error_message = "max_workers must be a whole number from 1 to 25 and at least min_workers; mw1.micro takes exactly one worker (min_workers = max_workers = 1)."
  }
}

variable "schedulers" {
  description = "Airflow schedulers (2-5; mw1.micro runs 1). Two are included in the environment price; each further one is billed by the hour like a worker."
  type        = number
  default     = 2

  validation {
    condition     = floor(var.schedulers) == var.schedulers && (var.environment_class == "mw1.micro" ? var.schedulers == 1 : (var.schedulers >= 2 && var.schedulers <= 5))
    error_message = "schedulers must be 2-5 (exactly 1 for mw1.micro)."
  }
}

variable "webserver_allowed_cidrs" {
  description = "Networks (a VPN, a bastion's subnet) allowed to reach the private Airflow web server on 443. The web server has no public endpoint; empty lets nothing outside the environment's security group reach it."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for cidr in var.webserver_allowed_cidrs : can(cidrhost(cidr, 0)) && cidr != "0.0.0.0/0"])
    error_message = "webserver_allowed_cidrs must be IPv4 CIDR blocks, and not 0.0.0.0/0."
  }
}

variable "airflow_log_level" {
  description = "Level of the five Airflow logs MWAA sends to CloudWatch Logs (DAG processing, scheduler, task, web server, worker)."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"], var.airflow_log_level)
    error_message = "airflow_log_level must be CRITICAL, ERROR, WARNING, INFO or DEBUG."
  }
}

variable "maintenance_window_start" {
  description = "Start of MWAA's weekly maintenance window, DAY:HH:MM in UTC on the hour or half hour (e.g. SUN:03:00)."
  type        = string
  default     = "SUN:03:00"

  validation {
    condition     = can(regex("^(MON|TUE|WED|THU|FRI|SAT|SUN):([01][0-9]|2[0-3]):(00|30)$", var.maintenance_window_start))
    error_message = "maintenance_window_start must look like SUN:03:00 (a day, then a UTC time on the hour or half hour)."
  }
}

variable "log_retention_days" {
  description = "Days the environment's five Airflow log groups keep their logs."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of CloudWatch Logs' retention periods (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, ...)."
  }
}

# --- What the DAGs call (published as Airflow Variables) ------------------------------------

variable "rag_min_hit_rate" {
  description = "The RAG evaluation fails when hit@4 over the gold questions drops below this (0-1)."
  type        = number
  default     = 0.75

  validation {
    condition     = var.rag_min_hit_rate >= 0 && var.rag_min_hit_rate <= 1
    error_message = "rag_min_hit_rate must be from 0 to 1."
  }
}

variable "provisioned_throughput_enabled" {
  description = "Let the customization DAG buy provisioned throughput for the custom model (billed by the hour per model unit from creation until deletion, tens of dollars an hour) and grant its role bedrock:CreateProvisionedModelThroughput. Off, the DAG fine-tunes only; deleting throughput is always allowed (the clean-up task)."
  type        = bool
  default     = false
}

variable "force_destroy" {
  description = "Let destroy remove the work bucket and the DAGs bucket while they hold objects (evaluation results, batch data, DAGs); null follows the tier (only in development)."
  type        = bool
  default     = null
}

variable "alarm_email" {
  description = "E-mail address subscribed to the environment's alarm topic (alarms and the cost budget); null subscribes no one."
  type        = string
  default     = null
}

variable "monthly_cost_limit_usd" {
  description = "The environment's monthly AWS cost (resources tagged Environment=<environment>) that AWS Budgets alerts on at 80 % actual and 100 % forecast."
  type        = number
  default     = 1000
}
