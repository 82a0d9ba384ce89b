//! The operators' console's messages: its pages, roles and the content and feedback desks.

/// Adds this file's messages to those collected so far and hands them on to the next part
/// (see `messages!` in `mod.rs`).
macro_rules! ops_messages {
    ([$next:ident $($later:ident)*] $($collected:tt)*) => {
        $next! { [$($later)*] $($collected)*
            OpsIdleBefore => "为了安全，", "For security, you will be signed out in";
            // The operators' console.
            OpsTitle => "运营管理平台", "Operations console";
            OpsSignInTitle => "运营管理平台登录", "Sign in to the operations console";
            OpsSignInIntro =>
                "供省联社和各农商银行的工作人员使用。客户请使用手机银行登录。",
                "For staff of the provincial union and its banks. Customers sign in to mobile banking instead.";
            OpsLogin => "工号", "Login";
            OpsCode => "动态口令（身份验证器上的 6 位数字）", "Authenticator code (6 digits)";
            OpsSignInHelp =>
                "忘记密码或更换手机后，请本机构的系统管理员重新发放登录信息。连续输错 5 次，工号将被暂时锁定。",
                "Forgot the password or changed phones? Your institution's administrator issues new credentials. Five wrong tries in a row lock the login for a while.";
            OpsSignInFirst => "请先登录运营管理平台。", "Please sign in to the operations console first.";
            OpsNavigation => "运营管理平台导航", "Console navigation";
            OpsOverview => "概览", "Overview";
            OpsStaff => "人员管理", "Staff";
            OpsPassword => "修改密码", "Change password";
            OpsMustChangePassword =>
                "您正在使用管理员发放的初始密码，请先设置自己的密码。",
                "You are using the password your administrator issued: please set your own first.";
            OpsInstitution => "所属机构", "Institution";
            OpsScope => "管理范围", "Scope";
            OpsScopeUnion => "全省（省联社）", "The whole province (the union)";
            OpsScopeBank => "本行及本行客户", "This bank and its customers";
            OpsRoles => "岗位", "Roles";
            OpsAuditNote =>
                "您在运营管理平台的每一项操作都会记入审计日志。",
                "Every action you take in the console is recorded in the audit log.";
            OpsCurrentPassword => "当前密码", "Current password";
            OpsNewPassword => "新密码", "New password";
            OpsConfirmPassword => "再输一次新密码", "New password again";
            OpsPasswordRules =>
                "密码要求：8 到 20 位，同时包含字母和数字，不能有空格，不能包含工号。",
                "Password rules: 8 to 20 characters, with both letters and digits, no spaces, not containing your login.";
            OpsSavePassword => "保存新密码", "Save the new password";
            OpsPasswordSaved => "新密码已保存。", "New password saved.";
            OpsSaved => "已保存。", "Saved.";
            OpsStatus => "状态", "Status";
            OpsActions => "操作", "Actions";
            OpsStatusActive => "正常", "Active";
            OpsStatusLocked => "已锁定", "Locked";
            OpsStatusDisabled => "已停用", "Disabled";
            OpsDisable => "停用", "Disable";
            OpsEnable => "启用", "Enable";
            OpsResetCredentials => "重新发放登录信息", "Issue new credentials";
            OpsAddMember => "新增工作人员", "Add a staff member";
            OpsLoginRule =>
                "3 到 32 位小写字母、数字、点或连字符，例如 b001.zhangsan。",
                "3 to 32 lower-case letters, digits, dots or hyphens, e.g. b001.zhangsan.";
            OpsAddMemberSubmit => "新增并发放登录信息", "Add and issue credentials";
            OpsIssuedTitle => "登录信息", "Credentials";
            OpsIssuedOnce =>
                "以下信息只显示这一次，请当面交给本人：用身份验证器扫描二维码（或输入密钥），首次登录后须修改密码。",
                "Shown this once only; hand it over in person. Scan the QR code with an authenticator app (or type the key); the password must be changed at the first sign-in.";
            OpsIssuedGone =>
                "没有待显示的登录信息：它只显示一次。如有需要，请重新发放。",
                "Nothing to show: credentials are shown once only. Issue new ones if needed.";
            OpsIssuedPassword => "初始密码", "Issued password";
            OpsIssuedSecret => "身份验证器密钥", "Authenticator key";
            OpsIssuedQr => "身份验证器二维码", "Authenticator QR code";
            OpsBackToStaff => "返回人员管理", "Back to staff";
            OpsProducts => "产品与利率", "Products and rates";
            OpsContent => "资讯与活动", "News and campaigns";
            OpsContentNone => "还没有内容。", "Nothing yet.";
            OpsContentNew => "新建", "New item";
            OpsContentEdit => "修改草稿", "Change the draft";
            OpsContentKind => "类型", "Kind";
            OpsContentTitle => "标题", "Title";
            OpsContentBody =>
                "正文（可用 Markdown：**加粗**、*斜体*、列表、链接到本行页面、下方上传的图片）",
                "Body (Markdown: **bold**, *italic*, lists, links to the portal's pages, pictures uploaded below)";
            OpsContentEditions => "面向版本（不选即全部）", "Editions (none ticked: all)";
            OpsContentSimpleNote =>
                "简约版（适老化）只显示资讯和公告，不显示营销活动横幅。",
                "The simple editions show news and announcements only, never campaign banners.";
            OpsContentPlaces =>
                "面向地区（市或县区名，空格分隔；不填即全部）",
                "Places (city or county names, separated by spaces; empty: all)";
            OpsContentSegments => "面向客户（须全部符合；不选即全部）", "Customers (all ticked must hold; none ticked: all)";
            OpsContentPush => "同时推送到客户的消息中心", "Also send to the customers' message centre";
            OpsContentPushNote =>
                "发布后从开始日期起推送给符合条件的客户，每人一次；营销活动只推送给同意接收优惠活动信息的客户，资讯和公告不推送给关闭了资讯的客户。",
                "Once published, it is sent from its start date to each customer it targets, once; campaigns only to customers who allowed offers, news and notices to everyone who has not turned them off.";
            OpsContentStarts => "开始日期", "Starts";
            OpsContentEnds => "结束日期", "Ends";
            OpsContentUpdated => "更新时间", "Updated";
            OpsSaveDraft => "保存草稿", "Save draft";
            OpsSubmit => "提交审核", "Submit for approval";
            OpsPublish => "审核通过并发布", "Approve and publish";
            OpsReject => "退回修改", "Send back";
            OpsRejectNote => "退回意见", "Reviewer's note";
            OpsWithdrawContent => "撤下", "Take down";
            OpsPreview => "客户看到的样子", "As customers will see it";
            OpsBackToContent => "返回资讯与活动", "Back to news and campaigns";
            OpsImageTitle => "图片", "Pictures";
            OpsImageFile => "选择图片", "Choose a picture";
            OpsImageHint =>
                "JPEG、PNG、GIF 或 WebP，最大 5 MB。上传后会缩小到适合手机的尺寸并重新压缩，拍摄位置等信息不会保留。",
                "JPEG, PNG, GIF or WebP, up to 5 MB. It is resized for phones and compressed afresh; no location or other metadata is kept.";
            OpsImageUpload => "上传图片", "Upload";
            OpsImageUploaded => "图片已上传。在正文中要显示的位置写入：", "Uploaded. Put this in the body where it should show:";
            OpsImageNotImage =>
                "只能上传 JPEG、PNG、GIF 或 WebP 图片，且不超过 8000×8000 像素。",
                "Only JPEG, PNG, GIF or WebP pictures of at most 8000 × 8000 pixels can be uploaded.";
            OpsImageTooLarge => "图片不能超过 5 MB。", "A picture is at most 5 MB.";
            OpsImageMissing => "请选择要上传的图片。", "Choose a picture to upload.";
            OpsImageFailed => "暂时无法保存图片，请稍后再试。", "The picture could not be saved; please try again later.";
            OpsFeedback => "客户反馈", "Customer feedback";
            OpsFeedbackStats => "反馈统计", "Feedback statistics";
            OpsLoanReview => "贷款审批", "Loan review";
            OpsLoanPortfolio => "贷款组合", "Loan portfolio";
            OpsLoanPortfolioNote =>
                "在贷（还款中）的网上贷款：贷款余额是尚欠本金；本月发放含信e贷支用；逾期贷款余额是有一期过了还款日未还（或额度到期未还）的贷款的全部余额，逾期率=逾期贷款余额÷贷款余额。",
                "Online loans being repaid: outstanding is principal owed; paid out this month includes credit-line draws; overdue is the whole balance of each loan with an instalment unpaid past its day (or a credit line unpaid after its end); the overdue ratio is overdue ÷ outstanding.";
            OpsPortfolioActive => "在贷笔数", "Loans";
            OpsPortfolioOutstanding => "贷款余额", "Outstanding";
            OpsPortfolioDisbursed => "本月发放", "Paid out this month";
            OpsPortfolioOverdue => "逾期贷款余额（笔数）", "Overdue (loans)";
            OpsPortfolioOverdueRatio => "逾期率", "Overdue ratio";
            OpsLoanProducts => "贷款产品", "Loan products";
            OpsLoanAmounts => "金额", "Amounts";
            OpsLoanReviewed => "已处理，客户会在消息中心收到结果。", "Done: the customer is told in their messages.";
            OpsLoanReviewNone => "没有待审批的贷款申请。", "No application is waiting for review.";
            OpsLoanApplied => "申请时间", "Applied";
            OpsLoanAsked => "申请金额", "Asked for";
            OpsLoanOffer => "按规则可批", "The rules would offer";
            OpsLoanWhyReferred => "转人工的原因", "Why it was referred";
            OpsLoanApprove => "批准", "Approve";
            OpsLoanDecline => "拒绝", "Decline";
            OpsFeedbackWaiting => "待答复", "Waiting";
            OpsFeedbackAnswered => "已答复", "Answered";
            OpsFeedbackNone => "没有反馈。", "No feedback here.";
            OpsFeedbackTimer => "时限", "Service level";
            OpsFeedbackHandle => "处理", "Handle";
            OpsFeedbackTake => "由我处理", "Take it";
            OpsFeedbackTakenBy => "处理人", "Taken by";
            OpsFeedbackTakenByMe => "我", "me";
            OpsFeedbackTakenByOther => "其他同事", "a colleague";
            OpsFeedbackReply => "答复内容", "Answer";
            OpsFeedbackReplyHint =>
                "2 到 1000 个字，客户会在消息中心收到答复通知。",
                "2 to 1,000 characters; the customer is told in their messages.";
            OpsFeedbackSendReply => "答复并通知客户", "Answer and tell the customer";
            OpsFeedbackRating => "客户评价", "Customer's rating";
            OpsFeedbackNotRated => "尚未评价", "Not rated yet";
            OpsFeedbackBack => "返回客户反馈", "Back to customer feedback";
            OpsFeedbackPeriod => "统计期间", "Period";
            OpsFeedbackDays7 => "最近 7 天", "Last 7 days";
            OpsFeedbackDays30 => "最近 30 天", "Last 30 days";
            OpsFeedbackDays90 => "最近 90 天", "Last 90 days";
            OpsFeedbackBank => "银行", "Bank";
            OpsFeedbackReceived => "收到", "Received";
            OpsFeedbackComplaints => "投诉", "Complaints";
            OpsFeedbackOverdue => "已超时", "Overdue";
            OpsFeedbackInTime => "按时答复率", "Answered in time";
            OpsFeedbackAverage => "平均答复用时", "Average time to answer";
            OpsFeedbackSatisfaction => "满意率", "Satisfied";
            OpsFeedbackTotal => "合计", "All banks";
            OpsFeedbackNoStats => "这段时间没有收到反馈。", "No feedback in this period.";
            OpsProductsNote =>
                "全省产品目录和利率区间由省联社统一发布；各农商银行在区间内自定本行利率，可按日期提前安排调整，也可增加本行特色产品。已存入的定期按存入时的利率计息。",
                "The union publishes the province catalogue and its rate bands; each bank sets its own rates within them, schedules changes from a date, and may add local products. Deposits already made keep the rate they were opened at.";
            OpsRateNow => "本行现行利率", "Rate in effect";
            OpsDefaultRate => "默认利率", "Default rate";
            OpsBand => "全省利率区间", "Province band";
            OpsNewBand => "调整区间", "Change the band";
            OpsFloor => "下限（%）", "Floor (%)";
            OpsCeiling => "上限（%）", "Ceiling (%)";
            OpsSaveBand => "保存区间", "Save band";
            OpsSchedule => "安排调整", "Schedule a rate";
            OpsRatePercent => "年利率（%）", "Annual rate (%)";
            OpsEffectiveFrom => "生效日期", "Effective from";
            OpsUpcoming => "待生效", "Still to come";
            OpsWithdrawRate => "撤销", "Withdraw";
            OpsRateHistory => "历史利率", "Rate history";
            OpsLocalProduct => "本行特色", "Local";
            OpsAddLocalProduct => "新增本行特色产品", "Add a local product";
            OpsProductNameZh => "产品名称（中文）", "Product name (Chinese)";
            OpsProductNameEn => "产品名称（英文）", "Product name (English)";
            OpsProductLike => "期限与品种（同全省目录）", "Term and kind (as in the province catalogue)";
            OpsProductMin => "起存金额（元）", "Smallest amount (yuan)";
            OpsAddLocalProductSubmit => "新增产品", "Add the product";
            RoleAdmin => "系统管理员", "Administrator";
            RoleEditor => "内容编辑", "Editor";
            RoleApprover => "审核发布", "Approver";
            RoleProductManager => "产品管理", "Product manager";
            RoleCreditOfficer => "信贷审批", "Credit officer";
            RoleRiskAnalyst => "风险分析", "Risk analyst";
            RoleServiceAgent => "客户服务", "Service agent";
        }
    };
}
