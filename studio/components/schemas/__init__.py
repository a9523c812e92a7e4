"""Config schemas of every provider, by kind. Pure data: no runtime imports."""
