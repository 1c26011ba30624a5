"""Thủ tục hành chính, hồ sơ và quy trình một cửa của đơn vị."""
