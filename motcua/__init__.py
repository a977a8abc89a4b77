"""Motcua: một cửa điện tử (electronic one-stop shop) for Vietnamese public administration."""
