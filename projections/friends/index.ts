export { friendsProjection } from './projection.ts';
export { FriendLink, FriendsView, friendsOf } from './queries.ts';
