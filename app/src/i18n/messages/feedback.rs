//! Customer feedback's messages (意见反馈), as the customer sees it.

/// Adds this file's messages to those collected so far and hands them on to the next part
/// (see `messages!` in `mod.rs`).
macro_rules! feedback_messages {
    ([$next:ident $($later:ident)*] $($collected:tt)*) => {
        $next! { [$($later)*] $($collected)*
            // Customer feedback (意见反馈) and the agents' desk.
            FeedbackLink => "意见反馈", "Feedback";
            FeedbackTitle => "意见反馈", "Feedback";
            FeedbackIntro =>
                "您的意见和投诉由您的开户银行处理，答复会发到消息中心。投诉 1 天内答复，建议 3 天内答复。",
                "Your bank handles your suggestions and complaints and answers in your messages: complaints within a day, suggestions within three.";
            FeedbackKindLegend => "反馈类型", "Kind";
            FeedbackKindSuggestion => "意见建议", "Suggestion";
            FeedbackKindComplaint => "投诉", "Complaint";
            FeedbackCategory => "问题类别", "About";
            FeedbackCategoryTransfer => "转账汇款", "Transfers";
            FeedbackCategoryDeposit => "存款", "Deposits";
            FeedbackCategoryBills => "生活缴费", "Bill payments";
            FeedbackCategoryAccount => "账户与安全", "Account and security";
            FeedbackCategoryUsability => "页面与操作", "Using the app";
            FeedbackCategoryService => "网点与服务", "Branches and service";
            FeedbackCategoryOther => "其他", "Other";
            FeedbackText => "请写下您遇到的问题或建议", "What happened, or what would you like?";
            FeedbackTextHint =>
                "5 到 500 个字。请不要填写密码或验证码。",
                "5 to 500 characters. Never write a password or a code.";
            FeedbackContextNote =>
                "会一并附上您所在的页面和版本，便于查明问题。",
                "The page you were on and your edition go with it, to help find the problem.";
            FeedbackSend => "提交反馈", "Send";
            FeedbackMine => "我的反馈", "My feedback";
            FeedbackNone => "您还没有提交过反馈。", "You have sent no feedback yet.";
            FeedbackOpen => "查看", "Open";
            FeedbackItemTitle => "反馈详情", "Your feedback";
            FeedbackSentAt => "提交时间", "Sent";
            FeedbackStatus => "状态", "Status";
            FeedbackDue => "答复期限", "Answer due by";
            FeedbackYourWords => "您的反馈", "What you wrote";
            FeedbackAnswer => "银行答复", "Your bank's answer";
            FeedbackAnsweredAt => "答复时间", "Answered";
            FeedbackStatusOpen => "待处理", "Waiting";
            FeedbackStatusTaken => "处理中", "Being handled";
            FeedbackStatusReplied => "已答复", "Answered";
            FeedbackStatusClosed => "已办结", "Closed";
            FeedbackRateQuestion => "这个答复解决您的问题了吗？", "Did this answer solve your problem?";
            FeedbackSatisfied => "满意", "Satisfied";
            FeedbackUnsatisfied => "不满意", "Not satisfied";
            FeedbackYourRating => "您的评价", "Your rating";
            FeedbackThanks => "谢谢您的评价。", "Thank you for rating it.";
            FeedbackBack => "返回意见反馈", "Back to feedback";
            FeedbackPage => "反馈页面", "Page";
            FeedbackEdition => "版本", "Edition";
        }
    };
}
