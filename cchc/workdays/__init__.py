"""Lịch làm việc của cơ quan nhà nước: ngày nghỉ, ngày làm bù, cách tính hạn."""
