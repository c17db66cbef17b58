// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

namespace Pantheon.Schema {
	public partial class ChatState : global::Colyseus.Schema.Schema {
#if UNITY_5_3_OR_NEWER
		[global::UnityEngine.Scripting.Preserve]
#endif
		public ChatState() { }

		[global::Colyseus.Schema.Type(0, "string")]
		public string channel = default(string);

		[global::Colyseus.Schema.Type(1, "uint32")]
		public uint readers = default(uint);
	}
}
