"""Contract base classes, one module (or package) per plugin kind."""
