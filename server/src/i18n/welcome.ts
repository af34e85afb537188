// The welcome pages' text (gateway mode's captive portal), French first. Plain words: the
// people reading them may just have joined the Wi-Fi for the first time. `{x}` are filled in
// (and escaped) by the page.
import type { Language } from '../config.js'

export interface WelcomeText {
  dir: 'ltr' | 'rtl'
  languageName: string
  languagesLabel: string
  title: string
  intro: string
  what: string
  heroAlt: string
  enter: string
  enterHint: string
  alreadyIn: string
  keepTitle: string
  keepIntro: string
  androidTitle: string
  androidSteps: readonly string[]
  androidAlt: string
  androidYes: string
  iphoneTitle: string
  iphoneSteps: readonly string[]
  iphoneAlt: string
  iphoneDone: string
  okTitle: string
  okClose: string
  openTitle: string
  openText: string
  openLink: string
  qrAlt: string
  qrText: string
}

/** French spacing: a no-break space inside « » and before : ; ! ?, so no line starts with one. */
function french(text: WelcomeText): WelcomeText {
  const fix = (x: string) => x.replace(/« /g, '«\u00a0').replace(/ ([»:;!?])/g, '\u00a0$1')
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(text)) out[k] = typeof v === 'string' ? fix(v) : Array.isArray(v) ? v.map(fix) : v
  return out as unknown as WelcomeText
}

const fr: WelcomeText = french({
  dir: 'ltr',
  languageName: 'Français',
  languagesLabel: 'Langue',
  title: 'Bienvenue sur le Wi-Fi de l’immeuble',
  intro: 'Ce Wi-Fi est celui de {building}. Il ne donne pas accès à internet : il mène au site de l’immeuble, réservé aux habitants.',
  what: 'Vous y trouvez les annonces du gardien et du bailleur, les signalements de pannes, les documents de l’immeuble et l’entraide entre voisins. Ce que vous y écrivez reste dans l’immeuble.',
  heroAlt: 'Un immeuble qui diffuse le Wi-Fi vers un téléphone. Internet, à côté, est barré : ce Wi-Fi ne va pas sur internet.',
  enter: 'Entrer',
  enterHint: 'Touchez « Entrer » : votre téléphone ne vous demandera plus de vous connecter à ce Wi-Fi.',
  alreadyIn: 'Ce téléphone est déjà entré. Vous pouvez fermer cette fenêtre.',
  keepTitle: 'Garder le Wi-Fi connecté sans internet',
  keepIntro: 'Votre téléphone peut dire que ce Wi-Fi « n’a pas accès à internet ». C’est normal. Pour rester connecté :',
  androidTitle: 'Téléphone Android (Samsung, Xiaomi, Pixel…)',
  androidSteps: [
    'Si un message « Pas d’accès à internet » ou « Connexion limitée » apparaît, touchez-le.',
    'Choisissez « Oui », « Rester connecté » ou « Utiliser ce réseau tel quel ». Cochez « Ne plus demander » si c’est proposé.',
    'Les applications qui ont besoin d’internet passent par les données mobiles ; le site de l’immeuble passe par ce Wi-Fi.',
  ],
  androidAlt: 'Le message d’Android « Ce réseau n’a pas accès à internet. Rester connecté ? » : le bouton « Oui » est entouré.',
  androidYes: 'Oui',
  iphoneTitle: 'iPhone, iPad',
  iphoneSteps: [
    'Après « Entrer », touchez « OK » ou « Terminé », en haut à droite.',
    'Si vous avez fermé la fenêtre sans entrer, choisissez « Utiliser sans Internet », pas « Utiliser un autre réseau ».',
    '« Pas de connexion Internet » sous le nom du Wi-Fi est normal : restez connecté.',
  ],
  iphoneAlt: 'La fenêtre de l’iPhone : le bouton « OK », en haut à droite, est entouré.',
  iphoneDone: 'OK',
  okTitle: 'C’est fait : vous êtes entré',
  okClose: 'Vous pouvez fermer cette fenêtre (« OK » ou « Terminé »). Le Wi-Fi reste connecté.',
  openTitle: 'Ouvrir le site de l’immeuble',
  openText: 'Dans votre navigateur habituel (Chrome, Safari, Firefox…), tapez cette adresse :',
  openLink: 'Ouvrir le site de l’immeuble',
  qrAlt: 'QR code de l’adresse {address}',
  qrText: 'Ou scannez ce code avec l’appareil photo d’un autre téléphone de la famille.',
})

const en: WelcomeText = {
  dir: 'ltr',
  languageName: 'English',
  languagesLabel: 'Language',
  title: 'Welcome to the building’s Wi-Fi',
  intro: 'This Wi-Fi belongs to {building}. It does not go to the internet: it leads to the building’s own site, for residents only.',
  what: 'There you find the notices of the caretaker and the landlord, fault reports, the building’s documents and help between neighbours. What you write there stays in the building.',
  heroAlt: 'A building sending Wi-Fi to a phone. The internet, beside it, is crossed out: this Wi-Fi does not go to the internet.',
  enter: 'Enter',
  enterHint: 'Tap “Enter”: your phone will stop asking you to sign in to this Wi-Fi.',
  alreadyIn: 'This phone has already entered. You can close this window.',
  keepTitle: 'Keep the Wi-Fi connected without internet',
  keepIntro: 'Your phone may say this Wi-Fi “has no internet access”. That is normal. To stay connected:',
  androidTitle: 'Android phone (Samsung, Xiaomi, Pixel…)',
  androidSteps: [
    'If a message “No internet access” or “Limited connection” appears, tap it.',
    'Choose “Yes”, “Stay connected” or “Use this network as is”. Tick “Don’t ask again” if it is offered.',
    'Apps that need the internet use mobile data; the building’s site uses this Wi-Fi.',
  ],
  androidAlt: 'Android’s message “This network has no internet access. Stay connected?”: the “Yes” button is circled.',
  androidYes: 'Yes',
  iphoneTitle: 'iPhone, iPad',
  iphoneSteps: [
    'After “Enter”, tap “OK” or “Done”, at the top right.',
    'If you closed the window without entering, choose “Use Without Internet”, not “Use Other Network”.',
    '“No Internet Connection” under the Wi-Fi’s name is normal: stay connected.',
  ],
  iphoneAlt: 'The iPhone’s window: the “OK” button, at the top right, is circled.',
  iphoneDone: 'OK',
  okTitle: 'Done: you are in',
  okClose: 'You can close this window (“OK” or “Done”). The Wi-Fi stays connected.',
  openTitle: 'Open the building’s site',
  openText: 'In your usual browser (Chrome, Safari, Firefox…), type this address:',
  openLink: 'Open the building’s site',
  qrAlt: 'QR code of the address {address}',
  qrText: 'Or scan this code with the camera of another phone in your household.',
}

const ar: WelcomeText = {
  dir: 'rtl',
  languageName: 'العربية',
  languagesLabel: 'اللغة',
  title: 'مرحبًا بكم في شبكة واي فاي العمارة',
  intro: 'هذه الشبكة هي شبكة {building}. لا تتيح الوصول إلى الإنترنت: إنها توصل إلى موقع العمارة، المخصص للسكان فقط.',
  what: 'تجدون فيه إعلانات الحارس والمؤجر، وبلاغات الأعطال، ووثائق العمارة، والتعاون بين الجيران. ما تكتبونه فيه يبقى داخل العمارة.',
  heroAlt: 'عمارة ترسل الواي فاي إلى هاتف. الإنترنت بجانبها مشطوب: هذه الشبكة لا توصل إلى الإنترنت.',
  enter: 'دخول',
  enterHint: 'اضغطوا على «دخول»: لن يطلب منكم الهاتف بعد ذلك تسجيل الدخول إلى هذه الشبكة.',
  alreadyIn: 'هذا الهاتف دخل من قبل. يمكنكم إغلاق هذه النافذة.',
  keepTitle: 'إبقاء الواي فاي متصلًا بدون إنترنت',
  keepIntro: 'قد يقول هاتفكم إن هذه الشبكة «لا تتصل بالإنترنت». هذا أمر عادي. للبقاء متصلين:',
  androidTitle: 'هاتف أندرويد (سامسونغ، شاومي، بكسل…)',
  androidSteps: [
    'إذا ظهرت رسالة «لا يوجد اتصال بالإنترنت» أو «اتصال محدود»، اضغطوا عليها.',
    'اختاروا «نعم» أو «البقاء متصلًا» أو «استخدام هذه الشبكة كما هي». وضعوا علامة على «عدم السؤال مرة أخرى» إن وُجدت.',
    'التطبيقات التي تحتاج إلى الإنترنت تستعمل بيانات الهاتف المحمول؛ أما موقع العمارة فيمر عبر هذه الشبكة.',
  ],
  androidAlt: 'رسالة أندرويد «هذه الشبكة لا تتصل بالإنترنت. هل تريد البقاء متصلًا؟»: زر «نعم» محاط بدائرة.',
  androidYes: 'نعم',
  iphoneTitle: 'آيفون، آيباد',
  iphoneSteps: [
    'بعد «دخول»، اضغطوا على «موافق» أو «تم» في أعلى الشاشة.',
    'إذا أغلقتم النافذة دون دخول، اختاروا «استخدام بدون إنترنت»، وليس «استخدام شبكة أخرى».',
    'عبارة «لا يوجد اتصال بالإنترنت» تحت اسم الشبكة أمر عادي: ابقوا متصلين.',
  ],
  iphoneAlt: 'نافذة الآيفون: زر «موافق» في أعلى الشاشة محاط بدائرة.',
  iphoneDone: 'موافق',
  okTitle: 'تم: لقد دخلتم',
  okClose: 'يمكنكم إغلاق هذه النافذة («موافق» أو «تم»). يبقى الواي فاي متصلًا.',
  openTitle: 'فتح موقع العمارة',
  openText: 'في متصفحكم المعتاد (كروم، سفاري، فايرفوكس…)، اكتبوا هذا العنوان:',
  openLink: 'فتح موقع العمارة',
  qrAlt: 'رمز QR للعنوان {address}',
  qrText: 'أو امسحوا هذا الرمز بكاميرا هاتف آخر من أفراد الأسرة.',
}

export const welcomeText: Record<Language, WelcomeText> = { fr, en, ar }
