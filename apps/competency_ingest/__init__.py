"""Scrapes the AWS Competency program pages into a knowledge-base corpus and publishes it."""
