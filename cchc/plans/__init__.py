"""Kế hoạch cải cách hành chính: nhập, theo dõi mục tiêu, nhiệm vụ và phân công."""
