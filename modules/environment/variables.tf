variable "name" {
  description = "The environment's name: its folder under directory."
  type        = string

  # The resource names built from <project>-<environment> were sized for names of up to 7
  # characters (staging).
  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,6}$", var.name))
    error_message = "name must be 2-7 lower-case letters and digits, starting with a letter."
  }
  validation {
    condition     = fileexists("${var.directory}/${var.name}/environment.yaml")
    error_message = "An environment is a folder <directory>/<name> with an environment.yaml."
  }
}

variable "directory" {
  description = "The environments/ folder: <name>/environment.yaml per environment and the model catalog models.yaml."
  type        = string

  validation {
    condition     = fileexists("${var.directory}/models.yaml")
    error_message = "directory must hold the model catalog, models.yaml."
  }
}
