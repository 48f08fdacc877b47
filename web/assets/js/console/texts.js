// texts.js: the console's own texts, Vietnamese first, English beside them (lib.js addDict).
// Keys start with c_ so they never clash with the portal's (i18n.js).
import { addDict } from "/assets/js/lib.js";

addDict({
  c_brand: { vi: "Một cửa điện tử — Cán bộ", en: "One-stop shop — Staff" },
  c_nav: { vi: "Chức năng", en: "Functions" },
  c_footer: { vi: "Hệ thống một cửa điện tử — dành cho cán bộ, công chức.", en: "Electronic one-stop shop — for civil servants." },
  c_logout: { vi: "Đăng xuất", en: "Log out" },
  c_working: { vi: "Đang xử lý…", en: "Working…" },
  c_nav_intake: { vi: "Tiếp nhận hồ sơ", en: "Intake" },
  c_nav_lists: { vi: "Danh sách hồ sơ", en: "Dossiers" },
  c_nav_reports: { vi: "Báo cáo", en: "Reports" },
  c_nav_admin: { vi: "Quản trị", en: "Administration" },
  c_who: { vi: "{name} · {roles}", en: "{name} · {roles}" },
  c_building: { vi: "Chức năng này đang được xây dựng. Xin vui lòng quay lại sau.", en: "This function is being built. Please come back later." },
  c_not_allowed: { vi: "Bạn không có quyền dùng chức năng này.", en: "You may not use this function." },
  c_not_found: { vi: "Không tìm thấy trang này.", en: "This page does not exist." },
  c_session_back: { vi: "Đã đăng nhập lại. Những gì đã nhập vẫn còn; hãy kiểm tra rồi gửi lại.", en: "Logged in again. What you typed is still here; check it and send again." },
  c_session_lost: { vi: "Phiên làm việc đã hết. Hãy đăng nhập lại để tiếp tục.", en: "Your session has ended. Log in again to continue." },

  c_login_title: { vi: "Đăng nhập", en: "Log in" },
  c_login_intro: { vi: "Dành cho cán bộ, công chức tiếp nhận và giải quyết hồ sơ.", en: "For the staff who receive and process dossiers." },
  c_username: { vi: "Tên đăng nhập", en: "User name" },
  c_password: { vi: "Mật khẩu", en: "Password" },
  c_login_button: { vi: "Đăng nhập", en: "Log in" },

  role_admin: { vi: "Quản trị hệ thống", en: "System administrator" },
  role_receiver: { vi: "Cán bộ một cửa", en: "One-stop officer" },
  role_specialist: { vi: "Chuyên viên thụ lý", en: "Specialist" },
  role_dept_head: { vi: "Lãnh đạo phòng", en: "Head of department" },
  role_leader: { vi: "Lãnh đạo cơ quan", en: "Head of agency" },
  role_clerk: { vi: "Văn thư", en: "Clerk" },
  role_cashier: { vi: "Kế toán, thu phí", en: "Cashier" },
  role_unit_admin: { vi: "Quản trị đơn vị", en: "Unit administrator" },
  role_inspector: { vi: "Thanh tra, kiểm tra", en: "Inspector" },
  role_auditor: { vi: "Kiểm toán", en: "Auditor" },
});
