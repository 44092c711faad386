"""Post-apply smoke check of one environment: does what Terraform applied actually work?"""
