//! The customer portal's messages: the frame, the editions, sign-in and every customer page.

/// Adds this file's messages to those collected so far and hands them on to the next part
/// (see `messages!` in `mod.rs`).
macro_rules! portal_messages {
    ([$next:ident $($later:ident)*] $($collected:tt)*) => {
        $next! { [$($later)*] $($collected)*
            // The brand and the frame around every page.
            BrandName => "农商银行", "Rural Commercial Bank";
            AppName => "手机银行", "Mobile Banking";
            BrandAppName => "农商银行 手机银行", "Rural Commercial Bank Mobile Banking";
            BrandTagline => "一个手机银行，就是身边的一个网点", "One banking app is one branch near you";
            SkipToContent => "跳到主要内容", "Skip to main content";
            MainNavigation => "主导航", "Main navigation";
            NavHome => "首页", "Home";
            NavBanks => "找银行", "Find a bank";
            NavSettings => "设置", "Settings";
            ReadAloud => "朗读本页", "Read this page aloud";
            StopReading => "停止朗读", "Stop reading";
            Loading => "正在加载…", "Loading…";
            Saving => "正在保存…", "Saving…";
            CurrentEditionLabel => "当前版本", "Current edition";
            // The four editions.
            EditionCity => "城市版", "City edition";
            EditionRural => "乡村智慧版", "Rural smart edition";
            EditionCitySimple => "城市简约版", "City simple edition";
            EditionRuralSimple => "乡村简约版", "Rural simple edition";
            EditionCityAbout =>
                "功能最全，适合经常用手机办业务的您。",
                "Every service in one place, for people who bank on their phone every day.";
            EditionRuralAbout =>
                "为乡村生活、生产和销售设计，助农服务排在最前面。",
                "Made for village life, farming and selling: rural services come first.";
            EditionCitySimpleAbout =>
                "字大、按钮大、步骤少，只留最常用的业务。适合长辈使用。",
                "Large text, large buttons, few steps, only the everyday services. Made for older customers.";
            EditionRuralSimpleAbout =>
                "大字简约，乡村常用业务一眼看清。适合长辈使用。",
                "Large and simple, with the rural everyday services easy to see. Made for older customers.";
            EditionFeatureFull => "全部功能", "All services";
            EditionFeatureRural => "助农服务优先", "Rural services first";
            EditionFeatureLarge => "大字 · 大按钮 · 可朗读", "Large text · large buttons · read aloud";
            // The chooser.
            ChooserTitle => "请选择适合您的版本", "Choose the edition that suits you";
            ChooserIntro =>
                "四个版本的业务和安全保护完全一样，只是字的大小、页面布局和常用功能的顺序不同。以后随时可以在“设置”里更换。",
                "All four editions offer the same services and the same protection; they differ only in text size, layout and which services come first. You can change it any time in Settings.";
            ChooserUnknown =>
                "链接里的版本名称无法识别，请在下面直接选择。",
                "The edition named in the link was not recognised. Please choose one below.";
            ChooseThis => "选这个版本", "Choose this edition";
            InUse => "正在使用", "In use";
            EditionSaved => "已切换版本。", "Edition changed.";
            // Settings.
            SettingsTitle => "设置", "Settings";
            SettingsEdition => "显示版本", "Edition";
            SettingsEditionHint =>
                "长辈可选简约版：字更大，按钮更大，步骤更少。",
                "Older customers may prefer a simple edition: larger text, larger buttons, fewer steps.";
            SettingsLanguage => "语言 Language", "Language 语言";
            LanguageSaved => "已切换语言。", "Language changed.";
            // Home.
            HomeWelcome => "您好，欢迎使用手机银行", "Welcome to mobile banking";
            HomeServicesTitle => "常用服务", "Services";
            HomeRuralLead => "助农服务", "Rural services";
            TileBanks => "全省农商银行", "Rural banks in the province";
            TileBanksHint => "查找您所在县市的农商银行", "Find the rural bank of your county";
            TileEdition => "切换版本", "Change edition";
            TileEditionHint => "标准版或大字简约版", "Standard or large-text simple edition";
            TileSettings => "设置", "Settings";
            TileSettingsHint => "版本、语言", "Edition, language";
            // The bank directory.
            BanksTitle => "全省农商银行", "Rural commercial banks of the province";
            BanksIntro =>
                "省联社下辖的各家农商银行都是独立法人，您的账户开在哪一家，就由哪一家为您服务。",
                "Each rural commercial bank under the provincial union is its own legal entity: the bank that holds your account is the one that serves you.";
            BanksCityFilter => "所在城市", "City";
            BanksAllCities => "全部城市", "All cities";
            BanksShow => "查看", "Show";
            BanksNone => "这个城市暂时没有农商银行信息。", "No rural bank is listed for this city.";
            BanksCityWide => "市区", "City districts";
            // Signing in and registering.
            NavAccount => "我的", "Me";
            TileAccount => "我的", "Me";
            TileAccountHint => "登录注册、个人信息、我的设备", "Sign in, profile, my devices";
            LoginTitle => "登录", "Sign in";
            FieldMobile => "手机号", "Mobile number";
            FieldPassword => "登录密码", "Login password";
            LoginSubmit => "登录", "Sign in";
            LoginDone => "已登录。", "Signed in.";
            LoginNoCaptcha =>
                "为了您的资金安全，密码连续输错 5 次会暂时锁定账户；在新手机或新浏览器上登录时，还需要输入短信验证码。",
                "To protect your money, 5 wrong passwords in a row lock the account for a while, and signing in on a new phone or browser also needs an SMS code.";
            RegisterLink => "注册新用户", "Register";
            HaveAccount => "已经注册过？直接登录", "Already registered? Sign in";
            VerifyTitle => "短信验证", "SMS verification";
            VerifySentTo => "验证码已发送到", "The code was sent to";
            FieldCode => "短信验证码（6 位数字）", "SMS code (6 digits)";
            VerifySubmit => "验证并登录", "Verify and sign in";
            RegisterTitle => "注册手机银行", "Register for mobile banking";
            RegisterIntro =>
                "请用本人实名办理的手机号注册。我们会发送短信验证码，确认手机号是您本人在用。",
                "Please register with a mobile number in your own name. We send an SMS code to confirm the number is yours.";
            RegisterSendCode => "获取验证码", "Send code";
            CodeSent => "验证码已发送。", "Code sent.";
            RegisterDetailsTitle => "填写注册信息", "Your details";
            FieldName => "姓名（与身份证一致）", "Name (as on your ID card)";
            FieldResidentId => "身份证号码（18 位）", "Resident ID number (18 characters)";
            FieldBank => "开户的农商银行", "Your rural bank";
            ChooseBank => "请选择", "Please choose";
            FieldNewPassword => "设置登录密码", "Choose a login password";
            FieldPasswordConfirm => "再输一次登录密码", "Type the password again";
            PasswordRules =>
                "密码要求：8 到 20 位，同时包含字母和数字，不能有空格，不能包含手机号或生日。",
                "Password rules: 8 to 20 characters, with both letters and digits, no spaces, not containing your mobile number or birth date.";
            TermsSummary => "《手机银行服务协议》和《隐私政策》要点（2026-11 版）", "Service agreement and privacy policy, key points (version 2026-11)";
            TermsBody =>
                "我们只收集办理业务必需的信息：手机号、姓名、身份证号和开户行。这些信息加密保存，页面上默认只显示部分号码；查看完整号码需要再次验证，并会留下记录。您可以随时在“我的设备”中退出任何一台设备。",
                "We collect only what banking needs: mobile number, name, resident ID and your bank. They are stored encrypted and shown partly hidden; seeing a full number needs verification again and is recorded. You can sign out any device at any time under My devices.";
            TermsAccept => "我已阅读并同意服务协议和隐私政策", "I have read and accept the service agreement and privacy policy";
            ElderHint =>
                "60 岁以上的客户注册后，会自动切换到字更大、步骤更少的简约版，可以随时在“设置”里改回。",
                "Customers aged 60 and over are switched to the large-text simple edition after registering; Settings changes it back at any time.";
            RegisterSubmit => "同意协议并注册", "Accept and register";
            ForgotPassword => "忘记密码 / 解锁", "Forgot password / unlock";
            ResetTitle => "重置登录密码", "Reset your login password";
            ResetIntro =>
                "输入注册时用的手机号，我们会发送短信验证码。重置成功后，账户锁定会立即解除。",
                "Enter the mobile number you registered with and we will send an SMS code. Once the password is reset, any lock is lifted at once.";
            ResetSentIfRegistered => "如果这个号码已注册，验证码已发送到", "If this number is registered, the code was sent to";
            ResetSubmit => "重置密码", "Reset password";
            ResetDone => "密码已重置，请用新密码登录。", "Password reset. Please sign in with the new password.";
            ResetProofLabel => "银行卡号后四位，或身份证号", "Last four digits of your card, or your resident ID number";
            ResetProofHint =>
                "除了短信验证码，还需要再证明一次是您本人。重置后，所有已登录的设备都会退出，下次在这些设备登录要再收一次验证码。",
                "Besides the SMS code, we need one more proof that it is you. After the reset every device is signed out, and each needs an SMS code again at its next sign-in.";
            ErrorStaffLogin =>
                "工号由 3 到 32 位小写字母、数字、点或连字符组成。",
                "A login is 3 to 32 lower-case letters, digits, dots or hyphens.";
            ErrorRoles => "请至少选择一个岗位。", "Choose at least one role.";
            ErrorRate =>
                "利率请填百分数，最多两位小数，例如 1.55；区间须下限不高于默认利率、默认利率不高于上限。",
                "Type a rate in per cent with at most two decimals, such as 1.55; a band's floor may not exceed its default, nor the default its ceiling.";
            ErrorEffectiveDate => "请选择生效日期。", "Choose the day it takes effect.";
            ErrorContentTitle => "标题须为 1 到 60 个字。", "A title is 1 to 60 characters.";
            ErrorContentBody => "正文须为 1 到 5000 个字。", "The body is 1 to 5,000 characters.";
            ErrorContentSchedule => "请填写开始和结束日期，结束不能早于开始。", "Give a start and an end date, the end not before the start.";
            ErrorContentPlaces =>
                "地区最多 20 个，每个是一个市或县区名，用空格分隔。",
                "At most 20 places, each a city or county name, separated by spaces.";
            ErrorContentNotEditable =>
                "这条内容的状态已经变了（可能已被提交、发布或审核），请刷新后再看。",
                "This item's state has changed (submitted, published or reviewed meanwhile); please reload it.";
            ErrorFeedbackText =>
                "反馈请写 5 到 500 个字（答复 2 到 1000 个字）。",
                "Feedback is 5 to 500 characters (an answer 2 to 1,000).";
            ErrorFeedbackAnswered =>
                "这条反馈已经答复过了，请刷新后再看。",
                "This feedback has been answered already; please reload it.";
            ErrorFeedbackNotRateable =>
                "只能评价尚未评价过的答复。",
                "Only an answer not yet rated can be rated.";
            ErrorOwnDraftReview =>
                "自己起草的内容须由本机构另一位审核人审核。",
                "An item is reviewed by another approver of the institution, not by the one who drafted it.";
            ErrorProductName => "产品名称须为 2 到 40 个字。", "A product name is 2 to 40 characters.";
            ErrorRateDateInPast =>
                "生效日期不能早于今天。",
                "A rate takes effect today or later, not in the past.";
            ErrorRateScheduleTaken =>
                "这个产品在该日期已有安排好的利率。如需更改，请先撤销原来的安排。",
                "This product already has a rate from that day. To change it, withdraw that one first.";
            ErrorNewPassword =>
                "两次输入的新密码不一致，或与原密码相同。",
                "The new password was typed differently twice, or is the same as the old one.";
            ErrorStaffDisabled =>
                "此工号已停用。请联系本机构的系统管理员。",
                "This login is disabled. Please contact your institution's administrator.";
            ErrorNotPermitted =>
                "您的岗位没有这项权限。",
                "Your role does not allow this.";
            ErrorStaffLoginTaken =>
                "这个工号已有人使用，请换一个。",
                "This login is already in use; please choose another.";
            ErrorResetProofWrong =>
                "卡号后四位或身份证号不对。请核对后再试。",
                "The card's last four digits or the resident ID number do not match. Please check and try again.";
            PasskeyReviewTitle => "请确认这些设备都是您本人的", "Please check these devices are all yours";
            PasskeyReviewIntro =>
                "您刚重置了登录密码。下列设备可以用指纹或面容直接登录您的账户，不认识的请马上关闭。",
                "You have just reset your login password. These devices can sign in to your account with a fingerprint or face; turn off any you do not recognise at once.";
            PasskeyReviewManage => "管理指纹/面容登录", "Manage fingerprint / face login";
            PasskeyReviewDone => "都是我的", "They are all mine";
            IdleTitle => "您很久没有操作了", "You have been inactive";
            IdleBefore => "为了您的资金安全，", "To protect your money, you will be signed out in";
            IdleAfter => "秒后将自动退出登录。", "seconds.";
            IdleKeep => "继续使用", "Stay signed in";
            IdleExpired => "因长时间没有操作，已自动退出登录。", "You were signed out after a period of inactivity.";
            SignInFirst => "请先登录手机银行。", "Please sign in first.";
            AccountTitle => "我的", "Me";
            ProfileName => "姓名", "Name";
            ProfileResidentId => "身份证号", "Resident ID";
            ProfileBank => "开户行", "Bank";
            RevealTitle => "查看完整信息", "See full details";
            RevealIntro =>
                "为保护您的隐私，查看完整的姓名、手机号和身份证号需要短信验证码。验证后 5 分钟内可以查看，每次查看都会留下记录。",
                "To protect your privacy, seeing your full name, mobile number and ID needs an SMS code. After it you can see them for 5 minutes; every view is recorded.";
            RevealStart => "发送验证码", "Send code";
            RevealConfirm => "验证并查看", "Verify and show";
            RevealAudited => "本次查看已记录。5 分钟后需要重新验证。", "This view was recorded. After 5 minutes you need to verify again.";
            MaskedHint => "为保护您的隐私，号码只显示部分数字。", "For your privacy, numbers are shown partly hidden.";
            Logout => "退出登录", "Sign out";
            DevicesTitle => "我的设备", "My devices";
            DevicesIntro =>
                "这里列出正在登录您手机银行的手机和浏览器。不认识的设备请立即退出，并修改密码。",
                "These phones and browsers are signed in to your mobile banking. Sign out any you do not recognise and change your password.";
            DevicesSince => "登录时间（北京时间）", "Signed in at (Beijing time)";
            DevicesThis => "本机", "This device";
            DevicesRevoke => "退出这台设备", "Sign this device out";
            DevicesRevoked => "已退出那台设备。", "That device is signed out.";
            KnownDevicesTitle => "认证过的设备", "Verified devices";
            KnownDevicesIntro =>
                "在这些设备上登录只需要密码。移除后，下次在那台设备上登录还要输入短信验证码，它上面的登录也会立即结束。",
                "Signing in on these devices needs only the password. Remove one and its next sign-in needs an SMS code again; it is also signed out at once.";
            KnownDevicesLastUsed => "最近使用（北京时间）", "Last used (Beijing time)";
            KnownDevicesForget => "移除", "Remove";
            SignOutEverywhere => "退出所有设备", "Sign out everywhere";
            // Errors, shown by the one error view.
            ErrorTitle => "抱歉，出了点问题", "Sorry, something went wrong";
            ErrorNotFoundTitle => "没有找到这个页面", "Page not found";
            ErrorNotFound =>
                "您要找的页面不存在，可能是链接有误或页面已经移走。",
                "The page you are looking for does not exist; the link may be wrong or the page has moved.";
            ChunkMissingTitle => "页面没有加载出来", "The page did not load";
            ChunkMissingBody =>
                "网络可能断开了，或者手机银行刚刚更新过。请点下面的按钮重新加载。",
                "The connection may have dropped, or the portal has just been updated. Tap the button below to load it again.";
            ChunkMissingReload => "重新加载", "Load again";
            ErrorUnknownEdition => "没有这个版本，请从四个版本中选择。", "There is no such edition; please choose one of the four.";
            ErrorUnknownLanguage => "暂不支持这种语言。", "That language is not available.";
            ErrorUnknownCity => "没有这个城市，请从列表中选择。", "That city is not in the list; please pick one.";
            ErrorUnavailable =>
                "服务暂时繁忙，请稍后再试。您的资金和信息不受影响。",
                "The service is busy. Please try again shortly; your money and data are safe.";
            ErrorNetwork =>
                "网络连接不稳定，请检查网络后再试。",
                "The connection is unstable; please check your network and try again.";
            ErrorInternal =>
                "系统出了点问题，我们已经记录下来，请稍后再试。",
                "Something went wrong on our side; it has been logged. Please try again later.";
            BackHome => "返回首页", "Back to home";
            ErrorBadRequest => "提交的内容不完整，请刷新页面后重新填写。", "The form arrived incomplete; please reload the page and fill it in again.";
            ErrorInvalidMobile => "请输入 11 位中国大陆手机号。", "Please enter an 11-digit mainland China mobile number.";
            ErrorInvalidResidentId =>
                "身份证号码不正确，请核对 18 位号码（最后一位可能是 X）。",
                "The resident ID number is not valid; please check all 18 characters (the last may be X).";
            ErrorInvalidName => "请填写身份证上的姓名（2 个汉字以上）。", "Please enter your name as on your ID card (at least 2 Chinese characters).";
            ErrorInvalidBank => "请选择您的开户农商银行。", "Please choose your rural bank.";
            ErrorInvalidCode => "请输入短信里的 6 位验证码。", "Please enter the 6-digit code from the SMS.";
            ErrorPasswordMismatch => "两次输入的密码不一样，请重新输入。", "The two passwords differ; please type them again.";
            ErrorWeakPassword => "密码不符合要求：8 到 20 位，要有字母和数字，不能有空格，不能包含手机号或生日。", "The password does not meet the rules: 8–20 characters with letters and digits, no spaces, not containing your mobile number or birth date.";
            ErrorTermsNotAccepted => "请阅读并同意服务协议和隐私政策。", "Please read and accept the service agreement and privacy policy.";
            ErrorAlreadyRegistered =>
                "这个手机号或身份证号已经注册过了，请直接登录；忘记密码可以用短信验证码重置。",
                "This mobile number or ID is already registered. Please sign in; if you forgot the password, reset it with an SMS code.";
            ErrorCodeDailyLimit => "今天获取验证码的次数已用完，请明天再试。", "No more codes can be sent to this number today; please try again tomorrow.";
            ErrorCodeStrangerLimit =>
                "今天在新设备上为这个号码获取验证码的次数已用完。如果您是号码的主人，请在平时登录手机银行的手机上操作，或明天再试。",
                "Codes for this number asked from new devices are used up for today. If the number is yours, use the phone you usually sign in with, or try again tomorrow.";
            ErrorCodeExpired => "验证码已失效，请重新获取。", "The code is no longer valid; please ask for a new one.";
            ErrorCodeBindingChanged =>
                "交易信息有变化，原验证码已作废，请重新获取。",
                "The transaction changed, so the code was voided; please ask for a new one.";
            ErrorSignedOut => "您还没有登录，或者登录已超时，请重新登录。", "You are not signed in, or your session timed out; please sign in again.";
            ErrorFlowExpired => "操作已超时，请从头再来。", "This step timed out; please start again.";
            ErrorInvalidCard =>
                "卡号不正确，请核对 16 到 19 位卡号；跨行转账目前支持工商、农业、中国、建设、交通、邮储、招商银行。",
                "The card number is not right; please check its 16–19 digits. Transfers to other banks currently go to ICBC, ABC, BOC, CCB, BoCom, PSBC and CMB.";
            ErrorInvalidAmount =>
                "请输入正确的金额，例如 500 或 1234.56（最多两位小数）。",
                "Please enter an amount such as 500 or 1234.56 (at most two decimals).";
            ErrorInvalidMemo => "附言最多 20 个字。", "The note can be at most 20 characters.";
            ErrorPayeeNameNeeded =>
                "转到其他银行需要填写收款人姓名，要和对方银行预留的一致。",
                "Transfers to other banks need the payee's name exactly as their bank has it.";
            ErrorInvalidAlias => "备注名最多 12 个字。", "The nickname can be at most 12 characters.";
            ErrorPayeeCannotReceive =>
                "对方账户暂时不能收款（可能已销户，或Ⅱ类户余额已到上限），请和收款人确认。",
                "The payee's account cannot receive this now (closed, or a class II account at its balance cap); please check with the payee.";
            ErrorAccountNotUsable =>
                "这个账户暂时不能付款，请到开户网点或拨打客服电话咨询。",
                "This account cannot pay right now; please ask your branch or call customer service.";
            ErrorPayeeNotFound =>
                "没有找到这个收款账户，请核对卡号或手机号。",
                "No account was found for this card or mobile number; please check it.";
            ErrorSameAccount => "付款账户和收款账户不能相同。", "The paying and receiving account cannot be the same.";
            ErrorStepUpRequired =>
                "这笔转账需要短信验证码确认，请先获取验证码。",
                "This transfer needs an SMS code; please ask for one first.";
            ErrorIdempotencyKeyReused =>
                "这笔交易已经提交过，请返回转账页重新填写。",
                "This transaction was already submitted; please go back to the transfer page and start again.";
            ErrorPasskeyFailed =>
                "指纹/面容验证没有通过，请再试一次；也可以用密码和短信验证码。",
                "The fingerprint / face check did not go through; please try again, or use your password and an SMS code.";
            ErrorPasskeyNotRegistered =>
                "这台手机的指纹/面容登录没有在本行开通，或已被关闭。请用密码登录后在“我的 → 指纹/面容登录”里开通。",
                "Fingerprint / face login is not set up with us on this phone (or was removed). Sign in with your password and set it up under Me → Fingerprint / face login.";
            ErrorPasskeyAlreadyRegistered =>
                "这台手机已经开通过指纹/面容登录。",
                "Fingerprint / face login is already set up on this phone.";
            ErrorPasskeyCancelled =>
                "已取消，或等待超时。需要时请再点一次按钮。",
                "Cancelled or timed out. Press the button again when you are ready.";
            ErrorPasskeyUnsupported =>
                "这个浏览器或网址不支持指纹/面容登录。请用本行官方网址打开，或用密码和短信验证码。",
                "This browser or address does not support fingerprint / face login. Open the bank's official address, or use your password and an SMS code.";
            // Passkeys: fingerprint / face login.
            PasskeyWaiting => "请按手机提示验证指纹或面容…", "Follow your phone: touch the sensor or look at the screen…";
            PasskeySignIn => "指纹/面容登录", "Sign in with fingerprint / face";
            PasskeySignInHint =>
                "已在这台手机上开通指纹/面容登录？不用输入手机号和密码。",
                "Set up fingerprint / face login on this phone? No number or password needed.";
            PasskeysTitle => "指纹/面容登录", "Fingerprint / face login";
            PasskeysIntro =>
                "开通后，可以用手机的指纹或面容代替密码登录，也可以用来确认大额转账。指纹和面容只保存在您的手机里，银行收不到。",
                "Once set up, your phone's fingerprint or face replaces the password at sign-in and can confirm large transfers. Your fingerprint and face stay on your phone; the bank never receives them.";
            PasskeysNone => "还没有开通。", "Not set up yet.";
            PasskeysAdded => "开通于", "Added";
            PasskeysLastUsed => "最近使用", "Last used";
            PasskeysNeverUsed => "尚未使用", "not used yet";
            PasskeysRemove => "关闭", "Remove";
            PasskeysRemoved => "已关闭这台设备的指纹/面容登录。", "Removed.";
            PasskeysAddTitle => "在这台手机上开通", "Set up on this phone";
            PasskeysNeedBrowser =>
                "开通需要支持指纹/面容的手机浏览器，并等页面加载完成。也可以继续使用密码和短信验证码。",
                "Setting it up needs a phone browser with fingerprint or face support, after the page has finished loading. Your password and SMS codes keep working.";
            PasskeysAddHint =>
                "为了确认是您本人，先发一条短信验证码到您的手机。",
                "To make sure it is you, we first send an SMS code to your phone.";
            PasskeysVerifyCode => "验证", "Verify";
            PasskeysCodeOk => "验证通过，请录入指纹或面容。", "Verified: now use your fingerprint or face.";
            PasskeysCreateHint =>
                "点下面的按钮，按手机提示验证指纹或面容，5 分钟内有效。",
                "Press the button below and follow your phone's prompt, within 5 minutes.";
            PasskeysCreate => "录入指纹/面容", "Use fingerprint / face";
            PasskeyConfirmTransfer => "用指纹/面容确认转账", "Confirm with fingerprint / face";
            PasskeyOrCode => "也可以用短信验证码确认：", "Or confirm with an SMS code:";
            ErrorBadBillNumber =>
                "户号（或卡号、编号）的位数或校验位不对，请对照账单或卡片再输一遍。",
                "The household (or card, notice) number has the wrong length or check digit; please copy it again from the bill or card.";
            ErrorBillNotFound =>
                "缴费单位没有查到这个户号，请核对号码和所在城市。",
                "The biller has no such number; please check the number and the city.";
            ErrorNothingDue => "这个户号现在没有欠费。", "Nothing is due on this number now.";
            ErrorNotADenomination => "请选择一个充值面额。", "Please choose one of the top-up amounts.";
            // Bill payment (生活缴费).
            TileBills => "生活缴费", "Pay bills";
            TileBillsHint => "水电燃气、话费、学费等 16 类", "Water, power, gas, phone, tuition: 16 kinds";
            BillsTitle => "生活缴费", "Pay bills";
            BillsSimulated =>
                "演示环境：缴费单位由本地模拟器代替，不会真的缴费。",
                "Demo: the billers are a local simulator; no bill is really paid.";
            BillsRecent => "最近缴费", "Recent payments";
            BillsNone => "还没有缴费记录。", "No payments yet.";
            BillsHistory => "缴费记录", "Payment history";
            BillCity => "所在城市", "City";
            BillBiller => "缴费单位", "Biller";
            BillLookup => "查询账单", "Find the bill";
            BillHolder => "户名", "Account holder";
            BillDetail => "地址/说明", "Address / details";
            BillPeriod => "账期", "Period";
            BillDue => "应缴金额", "Amount due";
            BillPayExact => "本次缴费", "You pay";
            BillAmount => "缴费金额（元）", "Amount (yuan)";
            BillTopUpAmount => "充值面额", "Top-up amount";
            BillPay => "确认缴费", "Pay";
            BillPaid => "已提交。", "Submitted.";
            BillReceiptTitle => "缴费结果", "Payment result";
            BillStatusPaid => "缴费成功", "Paid";
            BillStatusRefunded => "缴费失败，已退款", "Failed, refunded";
            BillStatusPending => "等待缴费单位确认", "Waiting for the biller";
            BillExplainPaid => "缴费单位已入账，下面是它的回执编号。", "The biller has booked it; its receipt number is below.";
            BillExplainRefunded =>
                "钱已扣款后缴费单位没有入账，钱已经原路退回您的账户，可以稍后再缴。",
                "The biller did not book the payment after the debit; the money is back in your account. You may try again later.";
            BillExplainPending =>
                "已扣款，正在等待缴费单位确认；通常几分钟内会有结果，没有入账会自动退款。",
                "Debited and waiting for the biller; usually settled within minutes, and refunded automatically if not booked.";
            BillReason => "原因：", "Reason:";
            BillKind => "缴费类型", "Kind";
            BillNumber => "户号/号码", "Number";
            BillBillerReceipt => "缴费单位回执号", "Biller's receipt no.";
            ErrorHouseholdLabel => "请给这个户号起一个 1 到 20 个字的名字，例如“老家电费”。", "Please give the number a name of 1 to 20 characters, e.g. \"Parents' electricity\".";
            HouseholdsTitle => "我的常用户号", "My saved numbers";
            HouseholdsNone => "缴费成功后，可以把户号保存下来，下次一点就能缴。", "After paying, save the number here and pay it next time with one tap.";
            HouseholdPay => "缴费", "Pay";
            HouseholdRemove => "删除", "Remove";
            HouseholdRemoved => "已删除。", "Removed.";
            HouseholdSaveTitle => "保存为常用户号", "Save this number";
            HouseholdLabel => "给它起个名字", "Name it";
            HouseholdLabelHint => "例如：老家电费、爸妈的话费", "e.g. Home town electricity, Parents' phone";
            HouseholdSave => "保存", "Save";
            HouseholdSaved => "已保存，在“生活缴费”页可以直接缴。", "Saved: pay it straight from the Pay bills page.";
            HomeOtherBills => "其他生活缴费", "Other bills";
            // Pension estimate (养老金测算).
            TilePension => "养老金测算", "Pension estimate";
            TilePensionHint => "退休后每月大约能领多少", "About how much a month after retiring";
            PensionTitle => "养老金测算", "Pension estimate";
            PensionIntro =>
                "按企业职工基本养老保险的计发办法（国发〔2005〕38号），估算退休后每月的基本养老金。结果只是估算，以社保经办机构核定为准。",
                "An estimate of the monthly basic pension of the enterprise employees' pension insurance, by the formula of State Council decision 2005 No. 38. Only an estimate: the social security office decides the amount.";
            PensionWage => "计发基数（元/月）", "Pension base (yuan a month)";
            PensionWageHint =>
                "当地上年度全口径城镇单位就业人员月平均工资，社保局每年公布，例如 8000。",
                "The province's average monthly wage for pensions, published every year by the social security bureau, e.g. 8000.";
            PensionIndex => "本人平均缴费指数", "Your average contribution index";
            PensionIndexHint =>
                "按当地平均工资缴费就是 1.00；在 0.60 到 3.00 之间，可在社保缴费记录里查到。",
                "1.00 if you paid on the average wage; between 0.60 and 3.00, shown in your contribution record.";
            PensionYears => "累计缴费（年）", "Years contributed";
            PensionMonths => "又（个月）", "and months";
            PensionAccount => "个人账户储存额（元）", "Personal account balance (yuan)";
            PensionAge => "退休年龄（岁）", "Age at retirement";
            PensionSubmit => "开始测算", "Estimate";
            PensionTotal => "每月约可领取", "About this much a month";
            PensionBasic => "基础养老金", "Basic pension";
            PensionPersonal => "个人账户养老金", "Personal account pension";
            PensionShort =>
                "累计缴费不满 15 年，到龄时还不能按月领取养老金；可以继续缴费或一次性补缴到满 15 年。",
                "Under 15 years of contributions: no monthly pension yet at that age. You may keep contributing, or make up the missing years, to reach 15.";
            PensionHowTitle => "怎么算的", "How it is worked out";
            PensionHowBasic =>
                "基础养老金 =（计发基数 + 计发基数 × 平均缴费指数）÷ 2 × 缴费年限 × 1%。",
                "Basic pension = (base + base × index) ÷ 2 × years contributed × 1%.";
            PensionHowPersonal =>
                "个人账户养老金 = 个人账户储存额 ÷ 计发月数；计发月数看退休年龄：50 岁 195，55 岁 170，60 岁 139。",
                "Personal account pension = the balance ÷ the months divisor for the age at retirement: 195 at 50, 170 at 55, 139 at 60.";
            PensionHowLimits =>
                "不含过渡性养老金（1996 年以前的工龄，各省办法不同）和以后每年的调整；金额四舍五入到分。",
                "Not included: the transitional pension for years before 1996 (each province has its own rules) and later yearly raises. Amounts are rounded to the fen.";
            ErrorPensionWage => "请填写计发基数，例如 8000。", "Please enter the pension base, e.g. 8000.";
            ErrorPensionIndex => "缴费指数要在 0.60 到 3.00 之间，例如 1.00。", "The index must be between 0.60 and 3.00, e.g. 1.00.";
            ErrorPensionYears => "请填写缴费年数（1 到 50 年），月数在 0 到 11 之间。", "Please enter the years contributed (1 to 50) and months from 0 to 11.";
            ErrorPensionAccount => "个人账户储存额请填写金额，例如 150000。", "Please enter the personal account balance as an amount, e.g. 150000.";
            ErrorPensionAge => "退休年龄要在 40 到 70 岁之间。", "The age at retirement must be between 40 and 70.";
            // Accounts, transfers, receipts, inbox (core banking).
            NavAccounts => "账户", "Accounts";
            NavTransfer => "转账", "Transfer";
            TileAccounts => "账户余额", "Accounts";
            TileAccountsHint => "余额、明细、开立Ⅱ类户", "Balances, history, open an account";
            TileTransfer => "转账汇款", "Transfer";
            TileTransferHint => "本行、他行、给自己的账户", "To anyone, any bank, or yourself";
            TileInbox => "消息中心", "Messages";
            TileInboxHint => "动账、缴费提醒、资讯和活动", "Payments, bill reminders, news and offers";
            AccountsTitle => "我的账户", "My accounts";
            BalanceShow => "显示余额", "Show balances";
            BalanceHide => "隐藏余额", "Hide balances";
            AccountsNone => "您还没有账户。可以在下面在线开立一个Ⅱ类户。", "You have no account yet. You can open a class II account online below.";
            OpenAccountTitle => "在线开立Ⅱ类户", "Open a class II account online";
            OpenAccountHint =>
                "Ⅱ类户每笔和每日转出最多 ¥10,000.00，余额最多 ¥200,000.00。Ⅰ类户请带身份证到开户行网点办理。",
                "A class II account sends at most ¥10,000.00 a transfer and a day and holds at most ¥200,000.00. For a class I account, bring your ID card to a branch.";
            OpenAccountButton => "开立Ⅱ类户", "Open a class II account";
            OpenAccountDone => "开户成功，新账户已列在上面。", "Done: the new account is listed above.";
            AccountOnline => "电子账户", "Online account";
            ClassOne => "Ⅰ类户", "Class I";
            ClassTwo => "Ⅱ类户", "Class II";
            Balance => "余额", "Balance";
            BalanceAfter => "余额", "Balance";
            HistoryTitle => "交易明细", "Transactions";
            HistoryNone => "没有符合条件的交易。", "No transactions match.";
            HistoryFilter => "筛选", "Filter";
            FilterFrom => "开始日期", "From";
            FilterTo => "结束日期", "To";
            FilterMin => "最小金额（元）", "Min amount (yuan)";
            FilterMax => "最大金额（元）", "Max amount (yuan)";
            FilterDirection => "收支", "In or out";
            FilterAll => "全部", "All";
            FilterIn => "收入", "Money in";
            FilterOut => "支出", "Money out";
            FilterCounterparty => "对方户名或卡号尾号", "Other party (name or last digits)";
            FilterApply => "查询", "Search";
            Pages => "翻页", "Pages";
            PagePrev => "上一页", "Previous";
            PageNext => "下一页", "Next";
            RecentMovements => "最近五笔", "Last five";
            HomeNoUnread => "没有新通知", "No new alerts";
            HomeAllAccounts => "全部账户", "All accounts";
            TransferTitle => "转账", "Transfer";
            TransferFrom => "付款账户", "From account";
            TransferPayee => "收款人", "Payee";
            TransferNewPayee => "新收款人（在下面填写）", "New payee (fill in below)";
            TransferNewPayeeHint => "新收款人：填写卡号或对方注册的手机号", "New payee: card number or their registered mobile number";
            TransferTo => "收款卡号或手机号", "Card or mobile number";
            TransferPayeeName => "收款人姓名（转到他行时必填）", "Payee name (needed for other banks)";
            TransferAmount => "金额（元）", "Amount (yuan)";
            TransferMemo => "附言", "Note";
            TransferMemoPlaceholder => "选填，最多 20 个字", "Optional, up to 20 characters";
            TransferNext => "下一步", "Next";
            TransferConfirmTitle => "请核对转账信息", "Check the transfer";
            TransferOther => "转给其他人", "Send to someone else";
            KindOwn => "本人账户互转", "Between your accounts";
            KindIntra => "实时到账", "Arrives instantly";
            KindInterbank => "跨行转账，通常几分钟内到账", "Other bank, usually within minutes";
            PayeeBank => "收款银行", "Payee's bank";
            TransferCodeNeeded => "这笔转账需要短信验证码，验证码将发到", "This transfer needs an SMS code, sent to";
            TransferCodeNeededEarlier => "因为今天已有多笔免验证码的付款，为保护您的资金，这笔转账需要短信验证码，验证码将发到", "Because of earlier payments without a code today, this transfer needs an SMS code to protect your money. It will be sent to";
            SendCode => "获取验证码", "Send code";
            TransferSend => "确认转账", "Send money";
            TransferSent => "转账已提交。", "Transfer submitted.";
            TransferEdit => "返回修改", "Go back and change";
            TransferAgain => "再转一笔", "Another transfer";
            ReceiptTitle => "电子回单", "E-receipt";
            StatusPosted => "转账成功", "Completed";
            StatusPending => "处理中（跨行清算）", "Processing (interbank clearing)";
            StatusSettled => "对方银行已入账", "Credited by the other bank";
            StatusReturned => "已退回", "Returned";
            ReturnNameMismatch =>
                "对方银行退回：收款人姓名与账户不符。钱已原路退回您的账户。",
                "Returned by the other bank: the payee name does not match the account. The money is back in your account.";
            ReturnNoSuchAccount =>
                "对方银行退回：收款账户不存在。钱已原路退回您的账户。",
                "Returned by the other bank: no such account. The money is back in your account.";
            AmountInCapitals => "大写：", "In words:";
            ReceiptPayer => "付款人", "Payer";
            ReceiptPayee => "收款人", "Payee";
            ReceiptTime => "交易时间", "Time";
            ReceiptUpdated => "状态更新", "Status updated";
            ReceiptSerial => "交易流水号", "Reference";
            InboxTitle => "消息中心", "Messages";
            InboxEmpty => "还没有消息。", "No messages yet.";
            InboxKinds => "消息类型", "Kinds of message";
            InboxKindAll => "全部", "All";
            InboxKindMovement => "动账通知", "Payments";
            InboxKindReminder => "缴费提醒", "Bill reminders";
            InboxKindNews => "资讯公告", "News and notices";
            InboxKindCampaign => "优惠活动", "Offers";
            InboxOpenItem => "查看详情", "Read it";
            LiveNewMessage => "收到新消息。", "A new message has arrived.";
            ConsentTitle => "接收哪些消息", "Which messages you receive";
            ConsentMarketing => "接收本行和省联社的优惠活动信息", "Offers and campaigns of your bank and the union";
            ConsentNews => "接收资讯和公告", "News and notices";
            ConsentAlwaysSent =>
                "动账通知和缴费提醒关系到您的资金安全，总会发送给您。",
                "Payment alerts and bill reminders concern your money and are always sent.";
            ConsentSave => "保存设置", "Save";
            ConsentSaved => "已保存。", "Saved.";
            AlertIn => "收入", "Money in";
            AlertOut => "支出", "Money out";
            Unread => "新", "New";
            StatementMonth => "对账单月份", "Statement month";
            StatementDownload => "下载对账单（CSV，可用表格软件打开）", "Download the statement (CSV, opens in a spreadsheet)";
            StatementPdf => "下载对账单（PDF，可打印）", "Download the statement (PDF, printable)";
            ReceiptPdf => "下载电子回单（PDF）", "Download the e-receipt (PDF)";
            ChartTitle => "近六个月收支", "Money in and out, last six months";
            ChartIn => "收入", "In";
            ChartOut => "支出", "Out";
            ChartMonth => "月份", "Month";
            ResendCode => "没收到？重新发送验证码", "No code? Send it again";
            CodeResent => "新的验证码已发送，之前的验证码作废。", "A new code is on its way; the earlier one no longer works.";
            PayeeAccount => "收款账户", "Payee's account";
            TileDeposits => "定期存款", "Time deposits";
            TileDepositsHint => "整存整取、大额存单", "Fixed terms and certificates";
            DepositsTitle => "定期存款", "Time deposits";
            DepositRates => "产品与年利率", "Products and annual rates";
            DepositProduct => "产品", "Product";
            DepositRate => "年利率", "Annual rate";
            DepositMin => "起存金额", "From";
            DepositFormula =>
                "利息 = 本金 × 年利率 × 天数 ÷ 360，四舍五入到分；提前支取按活期利率 0.15% 计息。",
                "Interest = principal × annual rate × days ÷ 360, rounded to the fen; early withdrawal earns the demand rate of 0.15%.";
            DepositOpenTitle => "存一笔定期", "Open a time deposit";
            DepositAutoRenew => "到期自动转存（本息一起续存同样期限）", "Renew automatically at maturity (principal and interest, same term)";
            DepositOpenButton => "确认存入", "Deposit";
            DepositOpened2 => "存入成功，见下面“我的定期”。", "Done: see “My deposits” below.";
            DepositMine => "我的定期", "My deposits";
            DepositOpen => "持有中", "Active";
            DepositClosed => "已支取", "Closed";
            DepositPrincipal => "本金", "Principal";
            DepositOpened => "存入日期", "Opened";
            DepositMatures => "到期日期", "Matures";
            DepositExpected => "到期利息（预计）", "Interest at maturity (expected)";
            DepositInterestPaid => "已得利息", "Interest paid";
            DepositAtMaturity => "到期后", "At maturity";
            DepositRenew => "自动转存", "Renews";
            DepositPayout => "本息转回活期账户", "Paid back to the demand account";
            DepositEarlyWarning => "我知道提前支取只按活期利率 0.15% 计息", "I understand early withdrawal earns only the demand rate of 0.15%";
            DepositWithdraw => "提前支取", "Withdraw early";
            DepositWithdrawn => "已支取，本息已转回活期账户。", "Withdrawn: principal and interest are back in the demand account.";
            ErrorDepositClosed => "这笔定期已经支取过了。", "This deposit has already been withdrawn.";
            ErrorDepositPledged =>
                "这笔定期已质押给贷款，还清贷款后才能支取。",
                "This deposit is pledged for a loan: it can be withdrawn once the loan is repaid.";
            ErrorEarlyWithdrawalNotConfirmed => "请先勾选确认提前支取的利息规则。", "Please tick the box to confirm the early-withdrawal interest rule.";
            // 电子社保卡 and 医保电子凭证.
            TileSsc => "电子社保卡", "E-social-security card";
            TileSscHint => "扫码就医、办事", "Show the QR at hospitals and offices";
            TileMedical => "医保电子凭证", "Medical insurance e-voucher";
            TileMedicalHint => "医保码、余额", "Medical QR and balance";
            SscTitle => "电子社保卡", "E-social-security card";
            SscIntro =>
                "电子社保卡由人力资源和社会保障部门签发，和实体社保卡一样可以在医院、药店和社保窗口使用。开通后，在这里出示二维码即可。",
                "The e-social-security card is issued by the social-security bureau and works like the physical card at hospitals, pharmacies and service halls. Once signed up, show its QR code here.";
            SscStart => "开通电子社保卡（先发短信验证码）", "Sign up (an SMS code first)";
            SscConfirm => "确认开通", "Sign up";
            SscQrLabel => "电子社保卡二维码", "E-social-security card QR code";
            SscCardNo => "社会保障卡号", "Card number";
            MedicalTitle => "医保电子凭证", "Medical insurance e-voucher";
            MedicalIntro =>
                "医保电子凭证由医疗保障部门签发，看病、买药时出示二维码即可结算，还能查医保个人账户余额和最近的使用记录。",
                "The medical insurance e-voucher is issued by the medical-security bureau: show its QR code to pay at hospitals and pharmacies, and see your medical account's balance and latest use.";
            MedicalStart => "激活医保电子凭证（先发短信验证码）", "Activate (an SMS code first)";
            MedicalConfirm => "确认激活", "Activate";
            MedicalQrLabel => "医保电子凭证二维码", "Medical insurance e-voucher QR code";
            MedicalCode => "医保编码", "Insurance number";
            BureauSimulated =>
                "演示环境：社保和医保部门由本机的模拟系统代替，这里的二维码在任何医院、药店都不能使用。",
                "Demo: the social-security and medical bureaus are a local simulator; these QR codes work at no hospital or pharmacy.";
            ECardDataShared =>
                "开通时，您的姓名和身份证号会提交给社保/医保部门核对身份。为保护您，需要先输入发到您手机上的验证码。",
                "Signing up sends your name and resident ID to the bureau to confirm who you are. To protect you, we first send a code to your phone.";
            ECardIssuer => "签发机构", "Issued by";
            ECardSignedUp => "开通日期", "Signed up";
            ECardShowHint =>
                "请把二维码出示给医院、药店或社保窗口扫描。二维码每分钟更新一次，截图无效。",
                "Show the QR code to the hospital, pharmacy or service hall to scan. It changes every minute; a screenshot will not work.";
            ECardValidUntil => "二维码有效至", "Valid until";
            ECardNewCode => "换一个新二维码", "Get a new code";
            ECardUnbindTitle => "解除绑定", "Unbind";
            ECardUnbindHint =>
                "解除后，手机银行不再显示这张卡的二维码；实体卡和参保待遇不受影响，可以随时重新开通。",
                "After unbinding, this app no longer shows the card's QR code; your physical card and benefits are not affected, and you can sign up again at any time.";
            ECardUnbindSure => "我确认解除绑定", "Yes, unbind it";
            ECardUnbind => "解除绑定", "Unbind";
            ECardUnbound => "已解除绑定。", "Unbound.";
            MedicalAccountTitle => "医保账户", "Medical insurance account";
            MedicalEmployee => "职工基本医疗保险", "Employees' basic medical insurance";
            MedicalResident => "城乡居民基本医疗保险", "Urban-rural residents' basic medical insurance";
            MedicalArea => "参保地", "Insured in";
            MedicalBalance => "个人账户余额", "Personal account balance";
            MedicalNoPersonalAccount =>
                "城乡居民医保没有个人账户：看病时由统筹基金按比例报销，下面是最近的报销记录。",
                "Residents' insurance has no personal account: the pooled fund pays a share of each bill. Below are the latest.";
            MedicalLatest => "最近记录", "Latest";
            MedicalPersonal => "个人账户", "Personal account";
            MedicalFund => "统筹支付", "Paid by the fund";
            HomeSocialTitle => "社保 · 医保", "Social security and medical insurance";
            HomeSscButton => "出示社保卡二维码", "Show my social-security card";
            HomeMedicalButton => "出示医保码", "Show my medical insurance code";
            ErrorCardAlreadyActive => "这张卡已经开通了。", "This card is already signed up.";
            ErrorCardNotActive => "还没有开通这张卡，或已经解除绑定。", "This card is not signed up, or was unbound.";
            ErrorNotInsured =>
                "社保/医保部门没有查到您的参保记录。请带身份证到当地社保或医保窗口咨询。",
                "The bureau has no insurance record for you. Please ask at your local social-security or medical-insurance office with your ID card.";
            ErrorCardReportedLost =>
                "您的实体社保卡已挂失，补领新卡后才能开通电子社保卡。可以在社保窗口或合作银行网点补卡。",
                "Your physical social-security card is reported lost: the e-card can be signed up once a replacement is issued (at a service hall or a partner bank branch).";
            BillsSocialTitle => "社保 · 非税缴纳", "Social insurance and non-tax payments";
            BillGrade => "缴费档次（每年）", "Yearly contribution grade";
            BillGradeHint =>
                "城乡居民养老保险每年缴一次，档次自选：多缴多得，政府补贴也随档次提高。",
                "Resident pension insurance is paid once a year at a grade you choose: the more you pay, the more you get, and the government subsidy rises with the grade.";
            BillReceiptPdfTitle => "缴费凭证", "Payment receipt";
            BillReceiptPdf => "下载缴费凭证（PDF）", "Download the payment receipt (PDF)";
            SscApplyTitle => "申领实体社保卡", "Apply for a social-security card";
            SscApplyIntro =>
                "可以为自己或家人（孩子、不用手机的父母）申领。社保部门制卡后送到您的开户行，凭持卡人身份证到网点领取。",
                "Apply for yourself or a family member (a child, a parent without a phone). The bureau makes the card and sends it to your bank; collect it there with the holder's ID card.";
            SscApplyName => "持卡人姓名", "Card holder's name";
            SscApplyResidentId => "持卡人身份证号（18 位）", "Card holder's resident ID (18 characters)";
            SscApplyCity => "参保城市", "Insured in";
            SscApplyPickup => "领卡网点：", "Collect at:";
            SscApplySubmit => "提交申领", "Apply";
            SscApplied => "已提交，社保部门已受理。", "Sent: the bureau has your application.";
            SscApplications => "我的申领", "My applications";
            SscApplicationsNone => "还没有申领记录。", "No applications yet.";
            SscApplicationNo => "申领编号", "Application no.";
            SscStageSubmitted => "已受理", "Received";
            SscStageApproved => "审核通过", "Approved";
            SscStageProducing => "制卡中", "Card being made";
            SscStageReady => "已到网点，可领取", "At your bank, ready to collect";
            SscStageAhead => "未到这一步", "Not yet";
            ErrorCardApplicationPending =>
                "这个人一个月内已经申领过，请在“我的申领”里查看进度。",
                "A card was applied for this person less than a month ago; see its progress under “My applications”.";
            TileJobs => "就业在线", "Jobs";
            TileJobsHint => "本地招工信息", "Local job listings";
            JobsTitle => "就业在线", "Jobs";
            JobsSimulated =>
                "演示环境：招工信息由本机的模拟系统生成，单位和岗位都不是真的。",
                "Demo: the listings come from a local simulator; the employers and jobs are not real.";
            JobsCity => "城市", "City";
            JobsAnyCity => "全省", "Whole province";
            JobsTrade => "工种", "Trade";
            JobsAnyTrade => "全部工种", "All trades";
            JobsWords => "关键词（岗位、单位或区县）", "Words (job, employer or county)";
            JobsSearch => "查找岗位", "Search";
            JobsNone => "没有找到合适的岗位，换个城市或工种试试。", "No jobs found; try another city or trade.";
            BillKindAll => "全部", "All";
            BillKindFilter => "筛选", "Filter";
            AlertBillDue => "缴费提醒", "Bill due";
            AlertPayNow => "去缴费", "Pay it";
            AutoPayTitle => "自动缴费", "Automatic payment";
            AutoPayOff => "未开启", "off";
            AutoPayHint =>
                "账单出来后自动从您选的账户缴清；当月自动缴费合计超过上限时不扣款，改为提醒您手动缴费。",
                "When a bill comes, it is paid from the account you choose; if this month's automatic payments would pass the cap, nothing is taken and you are reminded to pay yourself.";
            AutoPayCap => "每月上限（元）", "Monthly cap (yuan)";
            AutoPaySet => "保存自动缴费", "Save automatic payment";
            AutoPayRemove => "关闭自动缴费", "Turn automatic payment off";
            AutoPaySaved => "自动缴费已保存。", "Automatic payment saved.";
            AutoPayRemoved => "自动缴费已关闭。", "Automatic payment is off.";
            ErrorAutoPayNotAvailable =>
                "充值类和按档次缴费的项目不能自动缴费。",
                "Top-ups and payments at a chosen grade cannot be paid automatically.";
            AlertAutoPaid => "自动缴费", "Paid automatically";
            AlertSeePayment => "查看缴费结果", "See the payment";
            SegmentAge60 => "60 岁及以上", "Aged 60 or more";
            SegmentDeposit => "持有定期存款", "Holding a time deposit";
            SegmentNew30 => "30 天内新注册", "Registered in the last 30 days";
            InboxKindService => "服务消息", "Service";
            AlertFeedbackHeading => "反馈答复", "Answer to your feedback";
            AlertSeeAnswer => "查看答复", "Read the answer";
            AlertLoanHeading => "贷款还款提醒", "Loan repayment reminder";
            AlertLoanOverdueHeading => "贷款逾期提醒", "Loan overdue";
            AlertLoanDecisionHeading => "贷款审批结果", "Loan decision";
            AlertSeeLoan => "查看贷款", "See the loan";
            AlertGuaranteeHeading => "担保邀请", "Asked to guarantee a loan";
            AlertGuaranteedOverdueHeading => "担保贷款逾期提醒", "A loan you guarantee is overdue";
            AlertSeeGuarantee => "阅读合同并答复", "Read the contract and answer";
            AlertRepayNow => "去还款", "Repay";
            ContentStatusDraft => "草稿", "Draft";
            ContentStatusSubmitted => "待审核", "Awaiting approval";
            ContentStatusPublished => "已发布", "Published";
            ContentStatusRejected => "已退回", "Sent back";
            ContentStatusWithdrawn => "已撤下", "Taken down";
            NewsTitle => "农商快讯", "Bank news";
            NewsAll => "全部资讯", "All news";
            NewsNone => "暂时没有新消息。", "No news for now.";
            NewsKindNews => "资讯", "News";
            NewsKindAnnouncement => "公告", "Notice";
            NewsKindCampaign => "活动", "Offer";
        }
    };
}
