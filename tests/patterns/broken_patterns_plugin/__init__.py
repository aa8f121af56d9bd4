"""The broken counterparts of ``legal_patterns_plugin``, one realistic bug each (see each module)."""
