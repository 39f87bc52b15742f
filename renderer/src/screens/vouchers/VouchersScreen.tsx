// 凭证: the list (#/vouchers), one voucher (#/vouchers/v/<id>) and the entry form (#/vouchers/new).
import { useHashPath } from '../../hooks/useHashPath';
import { VoucherForm } from './VoucherForm';
import { VoucherList } from './VoucherList';
import { VoucherPage } from './VoucherPage';

export default function VouchersScreen() {
  const [path, go] = useHashPath();
  if (path[0] === 'v' && path[1] && /^\d+$/.test(path[1]))
    return <VoucherPage key={path[1]} id={Number(path[1])} onBack={() => go()} onOpen={(id) => go('v', id)} />;
  if (path[0] === 'new') return <VoucherForm onCancel={() => go()} onSaved={(id) => go('v', id)} />;
  return <VoucherList onOpen={(id) => go('v', id)} onNew={() => go('new')} />;
}
