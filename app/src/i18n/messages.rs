//! Every UI string, in both languages, side by side.

use super::Lang;

macro_rules! messages {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        /// A UI string; [`Msg::text`] gives it in a language.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Msg { $($key,)* }

        impl Msg {
            /// Every message, for the completeness test.
            pub const ALL: &'static [Msg] = &[$(Msg::$key,)*];

            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Msg::$key, Lang::ZhCn) => $zh, (Msg::$key, Lang::En) => $en,)*
                }
            }
        }
    };
}

messages! {
    // The brand and the frame around every page.
    BrandName => "农商银行", "Rural Commercial Bank";
    AppName => "手机银行", "Mobile Banking";
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
    BanksCount => "家", "banks";
    BanksNone => "这个城市暂时没有农商银行信息。", "No rural bank is listed for this city.";
    BanksServes => "服务地区", "Serves";
    BanksCityWide => "市区", "City districts";

    // Errors, shown by the one error view.
    ErrorTitle => "抱歉，出了点问题", "Sorry, something went wrong";
    ErrorNotFoundTitle => "没有找到这个页面", "Page not found";
    ErrorNotFound =>
        "您要找的页面不存在，可能是链接有误或页面已经移走。",
        "The page you are looking for does not exist; the link may be wrong or the page has moved.";
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
}
