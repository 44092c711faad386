"""Shared building blocks of the platform's apps: settings, AWS clients, model factories."""
