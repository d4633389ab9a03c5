"""The commands of ``python -m loyalty`` beyond sample and inspect; each module has ``add(sub)``."""
