"""Thin handlers: parse the update, ask the services, reply through the renderer."""
